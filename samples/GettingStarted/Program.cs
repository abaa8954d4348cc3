using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TsdSr.Inference.Hosting;

// Options come from the "TsdSr" section of appsettings.json, environment variables (TsdSr__Device=cpu) and the
// command line (--TsdSr:ModelDirectory DIR). With no model folders at all, the bundled model of the TsdSr.Nano
// package is used.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddTsdSr(builder.Configuration.GetSection(TsdSrOptions.SectionName));
string input = builder.Configuration["input"] ?? "photo.jpg";
string output = builder.Configuration["output"] ?? "photo_x4.png";

using IHost host = builder.Build();
await host.StartAsync();   // invalid options (a missing folder, say) fail here, each problem named

var upscaler = host.Services.GetRequiredService<ITsdSrUpscaler>();
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;   // Ctrl+C
UpscaleResult result = await upscaler.UpscaleAsync(input, output, cancellationToken: stopping);
Console.WriteLine($"{result.Name}: {result.InputWidth}x{result.InputHeight} -> {result.OutputWidth}x{result.OutputHeight} " +
    $"in {result.Elapsed.TotalSeconds:F1} s, written to {result.OutputPath}");

await host.StopAsync();
