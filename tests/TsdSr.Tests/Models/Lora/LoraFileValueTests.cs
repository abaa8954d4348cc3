using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;

namespace TsdSr.Tests.Models.Lora;

/// <summary>LoRA files with a missing half, integer tensors or non-finite values are refused by name and change nothing.</summary>
public sealed class LoraFileValueTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-lora-values-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(Dictionary<string, Tensor> tensors)
    {
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".safetensors");
        SafetensorsWriter.Save(path, tensors);
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        return path;
    }

    [Fact]
    public void A_missing_lora_B_is_named_instead_of_blaming_its_lora_A()
    {
        var path = Write(new() { ["transformer.transformer_blocks.0.attn.to_q.lora_A.weight"] = randn(3, 8) });
        using var model = new ToyLoraModel();

        var act = () => LoraFile.Load(model, path, "default");

        var e = act.Should().Throw<LoraLoadException>().Which;
        e.Report.Missing.Should().Equal("transformer.transformer_blocks.0.attn.to_q.lora_B.weight");
        e.Report.Unmatched.Should().BeEmpty();
        e.Message.Should().Contain("missing from the file (their partner is present)").And.Contain("to_q.lora_B.weight");
        LoraAdapters.AdapterNames(model).Should().BeEmpty();
    }

    [Fact]
    public void A_missing_lora_A_in_the_old_down_up_spelling_is_named_in_that_spelling()
    {
        var path = Write(new() { ["transformer_blocks.0.attn.to_q.lora.up.weight"] = randn(8, 3) });
        using var model = new ToyLoraModel();

        var act = () => LoraFile.Load(model, path, "default");

        act.Should().Throw<LoraLoadException>().Which.Report.Missing.Should().Equal("transformer_blocks.0.attn.to_q.lora.down.weight");
    }

    [Fact]
    public void Integer_lora_tensors_are_refused()
    {
        var path = Write(new()
        {
            ["transformer_blocks.0.attn.to_q.lora_A.weight"] = ones(3, 8, ScalarType.Int32),
            ["transformer_blocks.0.attn.to_q.lora_B.weight"] = ones(8, 3),
        });
        using var model = new ToyLoraModel();

        var act = () => LoraFile.Load(model, path, "default");

        act.Should().Throw<LoraLoadException>().WithMessage("*values of another kind*lora_A.weight: model floating point, file I32*");
        LoraAdapters.AdapterNames(model).Should().BeEmpty();
    }

    [Fact]
    public void Nan_lora_weights_are_named_and_the_adapter_is_removed_again()
    {
        var path = Write(new()
        {
            ["transformer_blocks.0.attn.to_q.lora_A.weight"] = randn(3, 8),
            ["transformer_blocks.0.attn.to_q.lora_B.weight"] = full(new long[] { 8, 3 }, float.NaN),
        });
        using var model = new ToyLoraModel();

        var act = () => LoraFile.Load(model, path, "default");

        act.Should().Throw<LoraLoadException>().WithMessage("*NaN or infinite values*to_q.lora_B.weight*")
            .Which.Report.NonFinite.Should().Equal("transformer_blocks.0.attn.to_q.lora_B.weight");
        LoraAdapters.AdapterNames(model).Should().BeEmpty();
    }
}
