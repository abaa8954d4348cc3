namespace TsdSr.Tests.TestSupport;

/// <summary>Locates the golden fixtures copied next to the test assembly (tests/TsdSr.Tests/fixtures).</summary>
internal static class FixturePaths
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Get(params string[] parts) => Path.Combine([Root, .. parts]);
}
