namespace TsdSr.Inference.Hosting;

/// <summary>
/// Loads a <see cref="ITsdSrPipeline"/> from validated options. <see cref="TsdSrUpscaler"/> calls it once, on its worker
/// thread, the first time a model is needed; hosts replace it to bring their own pipeline (or a fake one in tests).
/// </summary>
public interface ITsdSrPipelineFactory
{
    /// <summary>Loads the weights and returns a ready pipeline, owned by the caller.</summary>
    /// <param name="options">Validated options: weight folders, device, dtypes, LoRA merge, threads.</param>
    /// <param name="progress">Receives <see cref="TsdSrStage.Loading"/> reports, or null.</param>
    /// <param name="cancellationToken">Checked between weight files.</param>
    ITsdSrPipeline Create(TsdSrOptions options, IProgress<TsdSrProgress>? progress, CancellationToken cancellationToken);
}
