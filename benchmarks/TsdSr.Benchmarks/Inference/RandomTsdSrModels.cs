using TsdSr.Inference.Benchmarking;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// Random-weight pipelines of the real sizes (<see cref="RandomPipeline"/>, shared with <c>tsdsr bench</c>): SD3-medium
/// with r 64 LoRA, the tiny test sizes for smoke runs, and TSD-SR-nano. No weights need downloading; speed and memory
/// do not depend on the values.
/// </summary>
public static class RandomTsdSrModels
{
    /// <summary>SD3-medium sizes (or the tiny test sizes with <paramref name="tiny"/>), cast to <paramref name="dtype"/>.</summary>
    public static (TsdSrPipeline Pipeline, SD3Transformer2DModel Transformer, AutoencoderKL Vae) Create(ScalarType dtype, bool tiny = false, bool mergeLora = false) =>
        RandomPipeline.Create(tiny ? ModelFamily.Tiny : ModelFamily.Sd3Medium, dtype, mergeLora);

    /// <summary>TSD-SR-nano sizes in fp32.</summary>
    public static (TsdSrPipeline Pipeline, SD3Transformer2DModel Transformer, AutoencoderKL Vae) CreateNano(bool mergeLora = false) =>
        RandomPipeline.Create(ModelFamily.Nano, ScalarType.Float32, mergeLora);

    /// <summary>The two TSD-SR-nano models alone (fp32, eval mode).</summary>
    public static (SD3Transformer2DModel Transformer, AutoencoderKL Vae) CreateNanoModels(bool mergeLora = false) =>
        RandomPipeline.CreateModels(ModelFamily.Nano, mergeLora);

    /// <summary>A random RGB image.</summary>
    public static TsdSr.Imaging.RgbImage Image(int width, int height)
    {
        var random = new Random(1);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        return new TsdSr.Imaging.RgbImage(width, height, pixels);
    }
}
