namespace TsdSr.Data.Degradation;

/// <summary>Which random choices a batch shares.</summary>
public enum RandomnessGranularity
{
    /// <summary>Every choice is made per sample (OSEDiff degrades each sample on its own).</summary>
    PerSample,

    /// <summary>
    /// Real-ESRGAN's batch semantics: resize direction/scale/mode, noise type, second-blur decision and final order
    /// are shared by the batch; kernels, noise strengths, grey flags and JPEG qualities are per sample.
    /// </summary>
    PerBatch,
}
