namespace TsdSr.Training.Dasm;

/// <summary>Which teacher index drives the DASM sub-steps of a batch.</summary>
public enum DasmBatchMode
{
    /// <summary>Every sample walks its own sub-steps from its own index (the fix; default).</summary>
    PerSample,

    /// <summary>
    /// The reference: the first sample's index (and one random bias) sets the sub-steps of the whole batch, although each
    /// sample was noised at its own σ (a quirk of the official TSD-SR code). Use only to reproduce the reference exactly.
    /// </summary>
    FirstSampleForBatch,
}
