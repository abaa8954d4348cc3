namespace TsdSr.Service.Endpoints;

/// <summary>The drop-an-image page (<c>GET /</c>) and its sample photo (<c>GET /sample.png</c>), served from the assembly.</summary>
internal static class PageEndpoints
{
    /// <summary>The page.</summary>
    public static IResult Index() => Results.Stream(Open("TsdSr.Service.index.html"), "text/html; charset=utf-8");

    /// <summary>A public-domain photo for the page's "Try a sample photo" button (samples/photos/hedgehog.png).</summary>
    public static IResult Sample() => Results.Stream(Open("TsdSr.Service.sample.png"), "image/png");

    private static Stream Open(string name) =>
        typeof(PageEndpoints).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from the build.");
}
