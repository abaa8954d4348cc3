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

    /// <summary>The fixture's tiny models, LoRA and embeddings as a CPU fp32 pipeline.</summary>
    public static TsdSr.Inference.Pipeline.TsdSrPipeline LoadPipeline(bool mergeLora, bool? linearAsConvolution = null) =>
        TsdSr.Inference.Pipeline.TsdSrPipeline.Load(Paths(), new TsdSr.Inference.Pipeline.TsdSrPipelineOptions { Device = "cpu", MergeLora = mergeLora, LinearAsConvolution = linearAsConvolution });

    /// <summary>The fixture root as model, LoRA and embedding folders.</summary>
    public static TsdSr.Inference.TsdSrModelPaths Paths()
    {
        var root = FixturePaths.Get("tsdsr_pipeline_tiny");
        return new TsdSr.Inference.TsdSrModelPaths(root, Path.Combine(root, "lora"), Path.Combine(root, "embeddings"));
    }

    /// <summary>How many 8-bit values differ, and by how much at most.</summary>
    public static (int Count, int Max, int Total) PixelDiff(byte[] actual, byte[] expected)
    {
        actual.Length.Should().Be(expected.Length);
        int count = 0, max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            int d = Math.Abs(actual[i] - expected[i]);
            count += d > 0 ? 1 : 0;
            max = Math.Max(max, d);
        }

        return (count, max, actual.Length);
    }

    /// <summary>The reference's latent tile size and overlap for this case.</summary>
    public (int Tile, int Overlap) Tiling
    {
        get
        {
            var t = Case.RootElement.GetProperty("tiling");
            if (t.ValueKind == JsonValueKind.Null)
            {
                var argv = Case.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
                return (int.Parse(argv[argv.IndexOf("--latent_tiled_size") + 1]!, System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(argv[argv.IndexOf("--latent_tiled_overlap") + 1]!, System.Globalization.CultureInfo.InvariantCulture));
            }

            return (t.GetProperty("tile").GetInt32(), t.GetProperty("overlap").GetInt32());
        }
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
