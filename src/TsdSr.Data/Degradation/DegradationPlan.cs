using TsdSr.Data.Degradation.Kernels;

namespace TsdSr.Data.Degradation;

/// <summary>Every random choice of one pipeline run over a batch; the pipeline itself is deterministic given a plan.</summary>
/// <param name="BatchSize">Number of samples.</param>
/// <param name="NoDegradation">Skip all degradations (LR = bicubic down-scale of HR).</param>
/// <param name="First">First stage.</param>
/// <param name="Second">Second stage (its JPEG qualities are the final JPEG's).</param>
/// <param name="FinalKernels">Final sinc or pulse kernel per sample.</param>
/// <param name="FinalResizeMode">Interpolation of the final resize to 1/scale.</param>
/// <param name="ResizeBeforeJpeg">True: [resize + sinc] → JPEG; false: JPEG → [resize + sinc].</param>
public sealed record DegradationPlan(
    int BatchSize,
    bool NoDegradation,
    StagePlan First,
    StagePlan Second,
    IReadOnlyList<KernelParameters> FinalKernels,
    ResizeMode FinalResizeMode,
    bool ResizeBeforeJpeg);
