using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using TsdSr.Models;
using TsdSr.Models.Lora;

namespace TsdSr.Tests.Models.Lora;

/// <summary>
/// Merging into a model loaded directly in bf16, from the stored base weights at full precision, gives the weights
/// the old load gave (fp32 model, merge, cast), bit for bit; a merge in bf16 would not.
/// </summary>
public sealed class LoraFullPrecisionMergeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-merge-").FullName;

    [Fact]
    public void Merge_from_the_source_equals_an_fp32_merge_then_cast()
    {
        var file = Path.Combine(dir, "base.safetensors");
        manual_seed(3);
        using (var seed = new ToyLoraModel())
        {
            SafetensorsWriter.Save(file, seed.state_dict());
        }

        // Before: fp32 model, adapters, merge in fp32, cast.
        using var before = LoadFp32(file);
        AddAdapters(before);
        LoraAdapters.MergeAndUnload(before);
        before.to(ScalarType.BFloat16);

        // Now: bf16 model with no init, fp32 adapters, merge from the file.
        ToyLoraModel now;
        using (ModelConstruction.ForLoading(ScalarType.BFloat16))
        {
            now = new ToyLoraModel();
        }

        using (now)
        using (var source = TensorSources.Open(file))
        {
            WeightLoader.Load(now, source);
            now.to(ScalarType.BFloat16); // the toy's plain LayerNorm is not a TsdSr layer and was built in fp32
            AddAdapters(now, ScalarType.Float32);
            LoraAdapters.MergeAndUnload(now, source);
            LoraAdapters.AdapterNames(now).Should().BeEmpty();

            // Naive: the same adapters added to the bf16 weights in bf16.
            using var naive = LoadFp32(file);
            naive.to(ScalarType.BFloat16);
            AddAdapters(naive, ScalarType.Float32);
            LoraAdapters.MergeAndUnload(naive);

            var expected = before.state_dict();
            var naiveState = naive.state_dict();
            int naiveDiffers = 0;
            foreach (var (name, t) in now.state_dict())
            {
                t.SameAs(expected[name]).Should().BeTrue(name);
                naiveDiffers += naiveState[name].SameAs(expected[name]) ? 0 : 1;
            }

            naiveDiffers.Should().BeGreaterThan(0, "double rounding in bf16 must show somewhere, or this test proves nothing");
        }
    }

    [Fact]
    public void A_missing_base_weight_is_named()
    {
        var file = Path.Combine(dir, "empty.safetensors");
        SafetensorsWriter.Save(file, new Dictionary<string, Tensor> { ["unrelated"] = zeros(1) });
        using var model = new ToyLoraModel();
        AddAdapters(model);
        using var source = TensorSources.Open(file);
        FluentActions.Invoking(() => LoraAdapters.MergeAndUnload(model, source)).Should().Throw<KeyNotFoundException>().WithMessage("*has no '*.weight' to merge the LoRA into*");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static ToyLoraModel LoadFp32(string file)
    {
        var model = new ToyLoraModel();
        using var source = TensorSources.Open(file);
        WeightLoader.Load(model, source);
        return model;
    }

    private static void AddAdapters(ToyLoraModel model, ScalarType? dtype = null)
    {
        // Adapters drawn from a fixed seed (init Random: B nonzero) so that every model gets the same ones.
        manual_seed(5);
        foreach (var (_, layer) in LoraAdapters.Layers(model))
        {
            layer.AddAdapter("a", 2, 4, init: LoraInit.Random, dtype: dtype ?? ScalarType.Float32);
        }

        LoraAdapters.SetActive(model, "a");
    }
}
