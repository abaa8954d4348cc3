using System.ComponentModel.DataAnnotations;

namespace TsdSr.Service;

/// <summary>
/// Settings of the web service itself, bound from the <c>Service</c> configuration section. The upscaler's settings
/// (model folders, device, size limits) are <see cref="TsdSr.Inference.Hosting.TsdSrOptions"/> in the <c>TsdSr</c>
/// section.
/// </summary>
internal sealed class ServiceOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Service";

    /// <summary>
    /// Images admitted at once, the one being upscaled included, 1–1024. Default 8. An upload that finds the queue
    /// full gets 503 with a Retry-After header instead of waiting without bound.
    /// </summary>
    [Range(1, 1024)]
    public int QueueCapacity { get; set; } = 8;

    /// <summary>
    /// Load the models when the service starts (default true), so that the first upload does not pay for it and the
    /// readiness endpoint reports when they are in memory. False loads them on the first upload.
    /// </summary>
    public bool LoadModelsAtStartup { get; set; } = true;
}
