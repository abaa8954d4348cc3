using System.CommandLine;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Cli.Commands;

/// <summary>
/// The options of <c>tsdsr upscale</c> about what may be written and how much work an image may ask for. Kept apart
/// from the model options so that each group can change on its own.
/// </summary>
internal sealed class UpscaleLimitOptions
{
    /// <summary><c>--overwrite</c>.</summary>
    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Replace output files that already exist (default: refuse and name them). An input is never overwritten." };

    /// <summary><c>--jpeg-quality</c>.</summary>
    public Option<int> JpegQuality { get; } = new("--jpeg-quality") { Description = "Quality (1-100) of a .jpg/.jpeg output.", DefaultValueFactory = _ => new TsdSrOptions().JpegQuality };

    /// <summary><c>--max-input-pixels</c>.</summary>
    public Option<long> MaxInputPixels { get; } = new("--max-input-pixels") { Description = "Largest input width x height, read from the header.", DefaultValueFactory = _ => new TsdSrOptions().MaxInputPixels, HelpName = "N" };

    /// <summary><c>--max-input-file-bytes</c>.</summary>
    public Option<long> MaxInputFileBytes { get; } = new("--max-input-file-bytes") { Description = "Largest input file size in bytes.", DefaultValueFactory = _ => new TsdSrOptions().MaxInputFileBytes, HelpName = "N" };

    /// <summary><c>--max-process-pixels</c>.</summary>
    public Option<long> MaxProcessPixels { get; } = new("--max-process-pixels") { Description = "Largest width x height the model works at (x scale; small inputs enlarged first).", DefaultValueFactory = _ => UpscaleSettings.DefaultMaxProcessPixels, HelpName = "N" };

    /// <summary><c>--max-aspect-ratio</c>.</summary>
    public Option<double> MaxAspectRatio { get; } = new("--max-aspect-ratio") { Description = "Largest long side / short side of the work size.", DefaultValueFactory = _ => UpscaleSettings.DefaultMaxAspectRatio, HelpName = "R" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        JpegQuality.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100)
            {
                r.AddError("--jpeg-quality must be between 1 and 100.");
            }
        });
        command.Options.Add(Overwrite);
        command.Options.Add(JpegQuality);
        command.Options.Add(MaxInputPixels);
        command.Options.Add(MaxInputFileBytes);
        command.Options.Add(MaxProcessPixels);
        command.Options.Add(MaxAspectRatio);
    }
}
