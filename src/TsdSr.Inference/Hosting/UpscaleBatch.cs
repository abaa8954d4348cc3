using TsdSr.Core.Files;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// A checked plan of work from <see cref="TsdSrUpscaler.PlanFile"/> or <see cref="TsdSrUpscaler.PlanFolder"/>: every
/// input with its output and any refusal, decided from headers and paths before any model is loaded. A folder batch
/// holds the output folder's lock (<see cref="OutputFolderLock"/>) until it is disposed.
/// </summary>
public sealed class UpscaleBatch : IDisposable
{
    private readonly OutputFolderLock? folderLock;

    internal UpscaleBatch(IReadOnlyList<UpscaleJob> jobs, UpscaleSettings settings, string outputFolder, OutputFolderLock? folderLock)
    {
        Jobs = jobs;
        Settings = settings;
        OutputFolder = outputFolder;
        this.folderLock = folderLock;
    }

    /// <summary>The images in processing order.</summary>
    public IReadOnlyList<UpscaleJob> Jobs { get; }

    /// <summary>The settings the sizes were checked with; <see cref="TsdSrUpscaler.RunAsync"/> upscales with them.</summary>
    public UpscaleSettings Settings { get; }

    /// <summary>The folder outputs go to (full path).</summary>
    public string OutputFolder { get; }

    /// <summary>Jobs refused because of their output path (existing file, the input itself, unknown format): usage errors.</summary>
    public IReadOnlyList<UpscaleJob> OutputConflicts => [.. Jobs.Where(j => j.OutputRefused)];

    /// <summary>Releases the output folder's lock, if held.</summary>
    public void Dispose() => this.folderLock?.Dispose();
}
