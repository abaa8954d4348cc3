using System.Text.Json;
using TsdSr.Core.SafeTensors;
using TsdSr.Imaging;

namespace TsdSr.Tests.TestSupport;

/// <summary>One case of fixtures/tsdsr_pipeline_tiny (README there): its files and stored tensors.</summary>
internal sealed class PipelineFixture : IDisposable
{
    public PipelineFixture(string caseName)
    {
        Name = caseName;
        Dir = FixturePaths.Get("tsdsr_pipeline_tiny", caseName);
        Tensors = SafetensorsFile.LoadAll(Path.Combine(Dir, "tensors.safetensors"));
        Case = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "case.json")));
    }

    public static IEnumerable<object[]> AllCases() =>
        new[] { "case_a_untiled", "case_b_tiled", "case_c_small_resize" }.Select(c => new object[] { c });

    public string Name { get; }

    public string Dir { get; }

    public Dictionary<string, Tensor> Tensors { get; }

    public JsonDocument Case { get; }

    public string InputPath => Directory.EnumerateFiles(Path.Combine(Dir, "input"), "*.png").Single();

    public string OutputPath(string align) => Path.Combine(Dir, "output_" + align, Path.GetFileName(InputPath));

    public RgbImage Input => ImageCodec.Load(InputPath);

    /// <summary>Max |actual − stored| over the three stored views (crop_tl, crop_br, stride8) of an image-space tensor.</summary>
    public double MaxViewDiff(string name, Tensor full)
    {
        long h = full.shape[^2], w = full.shape[^1];
        using var tl = full[.., .., ..32, ..32];
        using var br = full[.., .., (int)(h - 32).., (int)(w - 32)..];
        using var s8 = full[.., .., TensorIndex.Slice(0, null, 8), TensorIndex.Slice(0, null, 8)];
        return new[]
        {
            TensorAssert.MaxAbsDiff(Squeeze(tl, name + ".crop_tl"), Tensors[name + ".crop_tl"]),
            TensorAssert.MaxAbsDiff(Squeeze(br, name + ".crop_br"), Tensors[name + ".crop_br"]),
            TensorAssert.MaxAbsDiff(Squeeze(s8, name + ".stride8"), Tensors[name + ".stride8"]),
        }.Max();
    }

    public void Dispose()
    {
        foreach (var t in Tensors.Values)
        {
            t.Dispose();
        }

        Case.Dispose();
    }

    private Tensor Squeeze(Tensor t, string key) => Tensors[key].dim() == t.dim() - 1 ? t.squeeze(0) : t;
}
