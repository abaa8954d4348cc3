using System.Text.Json.Serialization;
using TsdSr.Evaluation.Lpips;
using TsdSr.Training.Loop;

namespace TsdSr.Training.Config;

/// <summary>
/// <c>reconstruction</c>: the data-loss terms a run wires itself around the step (LPIPS needs a user-supplied backbone,
/// the pixel distance takes <c>pixel_loss</c>'s weights). The step sees one perceptual distance and its weight, which
/// the run derives from these (<see cref="PerceptualWeight"/>).
/// </summary>
public sealed record ReconstructionSection
{
    /// <summary>Weight of LPIPS in pixel space (the reference: 1).</summary>
    public double LpipsWeight { get; init; } = TrainingStepOptions.Reference.PerceptualWeight;

    /// <summary>LPIPS backbone: alex (the reference) or vgg16.</summary>
    public LpipsBackbone LpipsNet { get; init; } = LpipsBackbone.Alex;

    /// <summary>Weight of the backbone-free pixel distance (<c>pixel_loss</c>) on the decoded student image; 0 turns it off.</summary>
    public double PixelWeight { get; init; }

    /// <summary>Weight of the latent MSE (the second stage of the two-stage recipe drops it).</summary>
    public double LatentMseWeight { get; init; } = 1.0;

    /// <summary>
    /// The weight the step applies to the perceptual distance the run builds: the LPIPS or pixel weight when only one
    /// is on, 1 when both are (their weights then live inside the combined distance), 0 when neither is.
    /// </summary>
    [JsonIgnore]
    public double PerceptualWeight => (LpipsWeight > 0, PixelWeight > 0) switch
    {
        (true, true) => 1.0,
        (true, false) => LpipsWeight,
        (false, true) => PixelWeight,
        _ => 0.0,
    };
}
