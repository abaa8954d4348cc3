namespace TsdSr.Service;

/// <summary>Entry point: <c>dotnet run --project samples/TsdSr.Service -- --urls http://127.0.0.1:5080</c>.</summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        await using var app = ServiceApp.Create(args);
        await app.RunAsync();
    }
}
