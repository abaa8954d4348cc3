using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Lora;

/// <summary>
/// <see cref="LoraBlend"/>: each tensor of the result is the weighted sum of the inputs' tensors, factor by factor; inputs
/// that do not fit together are refused with every difference named, and nothing is written or replaced.
/// </summary>
public sealed class LoraBlendTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-blend-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static LoraConfig Config(double alpha = 6) => new()
    {
        Rank = 3,
        Alpha = alpha,
        TargetModules = ["to_q", "to_out.0", "proj"],
        Init = LoraInit.Random,
    };

    /// <summary>A LoRA file as training saves it (random factors, the config in the header).</summary>
    private string Adapter(string name, int seed, LoraConfig? config = null)
    {
        manual_seed(seed);
        using var model = new ToyLoraModel();
        LoraAdapters.Add(model, "student", config ?? Config());
        var path = Path.Combine(dir, name);
        LoraFile.Save(model, "student", path);
        return path;
    }

    private static Dictionary<string, Tensor> Tensors(string path) => SafetensorsFile.LoadAll(path);

    [Fact]
    public void Extrapolation_gives_each_factor_as_the_weighted_sum_of_the_inputs_factors()
    {
        var a = Adapter("a.safetensors", 1);
        var b = Adapter("b.safetensors", 2);
        var output = Path.Combine(dir, "out.safetensors");

        LoraBlend.Save([(1.5, a), (-0.5, b)], output);

        var ta = Tensors(a);
        var tb = Tensors(b);
        var result = Tensors(output);
        result.Keys.Should().BeEquivalentTo(ta.Keys);
        result.Keys.Should().Contain(k => k.EndsWith("lora_A.weight", StringComparison.Ordinal)).And.Contain(k => k.EndsWith("lora_B.weight", StringComparison.Ordinal));
        foreach (var (key, value) in result)
        {
            var expected = ta[key].mul(1.5f).sub(tb[key].mul(0.5f));
            value.dtype.Should().Be(ScalarType.Float32);
            // float32 arithmetic here against float64 accumulation there: at most one rounding apart.
            TensorAssert.Close(value, expected, atol: 1e-6, key);
            value.SameAs(ta[key]).Should().BeFalse($"{key} must have changed");
        }

        using var source = SafetensorsFile.Open(output);
        using var original = SafetensorsFile.Open(a);
        source.Metadata.Should().Equal(original.Metadata, "the first input's header (its LoRA config) is kept");
    }

    [Fact]
    public void Weights_that_sum_to_one_over_identical_inputs_give_the_input_back_bit_for_bit()
    {
        var a = Adapter("a.safetensors", 3);
        var output = Path.Combine(dir, "out.safetensors");

        LoraBlend.Save([(0.3, a), (0.7, a)], output);

        var ta = Tensors(a);
        foreach (var (key, value) in Tensors(output))
        {
            value.SameAs(ta[key]).Should().BeTrue(key);
        }
    }

    [Fact]
    public void The_blended_file_loads_strictly_with_the_inputs_rank_and_alpha()
    {
        var a = Adapter("a.safetensors", 4);
        var b = Adapter("b.safetensors", 5);
        var output = Path.Combine(dir, "out.safetensors");
        LoraBlend.Save([(2, a), (-1, b)], output);
        using var model = new ToyLoraModel();

        var report = LoraFile.Load(model, output, "blend", new LoraLoadOptions { Strict = true });

        report.IsExact.Should().BeTrue();
        report.AlphaSource.Should().Be(LoraAlphaSource.Metadata);
        LoraFile.DescribeAdapter(model, "blend").Should().BeEquivalentTo(Config() with { TargetModules = report.Modules.ToArray() });
    }

    [Fact]
    public void Inputs_that_differ_are_refused_with_each_difference_named_and_nothing_is_written()
    {
        var a = Adapter("a.safetensors", 6);
        var otherAlpha = Adapter("alpha.safetensors", 7, Config(alpha: 3));
        var tensors = Tensors(a);
        var key = tensors.Keys.Order(StringComparer.Ordinal).First();
        var renamed = tensors.ToDictionary(kv => kv.Key == key ? key.Replace("lora_A", "lora_down", StringComparison.Ordinal) : kv.Key, kv => kv.Value);
        var reshaped = tensors.ToDictionary(kv => kv.Key, kv => kv.Key == key ? kv.Value.flatten() : kv.Value);
        var keys = Path.Combine(dir, "keys.safetensors");
        var shape = Path.Combine(dir, "shape.safetensors");
        using (var first = SafetensorsFile.Open(a))
        {
            SafetensorsWriter.Save(keys, renamed, first.Metadata);
            SafetensorsWriter.Save(shape, reshaped, first.Metadata);
        }

        var output = Path.Combine(dir, "out.safetensors");
        var act = () => LoraBlend.Save([(1.5, a), (-0.5, keys), (0.5, shape), (-0.5, otherAlpha)], output);

        var problems = act.Should().Throw<LoraBlendException>().Which.Problems;
        problems.Should().ContainSingle(p => p.Contains("lacks 1 of the tensors", StringComparison.Ordinal) && p.Contains(key, StringComparison.Ordinal));
        problems.Should().ContainSingle(p => p.Contains("holds 1 extra tensors", StringComparison.Ordinal) && p.Contains("lora_down", StringComparison.Ordinal));
        problems.Should().ContainSingle(p => p.Contains($"'{key}' is [{tensors[key].numel()}]", StringComparison.Ordinal));
        problems.Should().ContainSingle(p => p.Contains("different LoRA configurations", StringComparison.Ordinal) && p.Contains("alpha.safetensors", StringComparison.Ordinal));
        problems.Should().HaveCount(4);
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void A_tensor_that_is_not_floating_point_in_any_input_is_named()
    {
        var a = Adapter("a.safetensors", 13);
        var tensors = Tensors(a);
        var key = tensors.Keys.Order(StringComparer.Ordinal).Last();
        tensors[key] = tensors[key].to(ScalarType.Int32);
        var ints = Path.Combine(dir, "ints.safetensors");
        using (var first = SafetensorsFile.Open(a))
        {
            SafetensorsWriter.Save(ints, tensors, first.Metadata);
        }

        var act = () => LoraBlend.Save([(0.5, a), (0.5, ints)], Path.Combine(dir, "out.safetensors"));

        act.Should().Throw<LoraBlendException>().Which.Problems.Should().ContainSingle()
            .Which.Should().Contain(key).And.Contain("ints.safetensors").And.Contain("not a floating-point tensor");
    }

    [Fact]
    public void An_existing_output_is_kept_unless_overwrite_is_asked()
    {
        var a = Adapter("a.safetensors", 8);
        var b = Adapter("b.safetensors", 9);
        var output = Path.Combine(dir, "out.safetensors");
        File.WriteAllText(output, "mine");

        var act = () => LoraBlend.Save([(0.5, a), (0.5, b)], output);

        act.Should().Throw<IOException>().WithMessage("*exists*");
        File.ReadAllText(output).Should().Be("mine");
        LoraBlend.Save([(0.5, a), (0.5, b)], output, overwrite: true);
        Tensors(output).Should().HaveCount(Tensors(a).Count);
        var self = () => LoraBlend.Save([(1, output)], output, overwrite: true);
        self.Should().Throw<ArgumentException>().WithMessage("*both an input and an output*");
        FluentActions.Invoking(() => LoraBlend.Save(null!, output)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => LoraBlend.SaveAll([(output, null!)])).Should().Throw<ArgumentException>().WithMessage("*output path and its terms*");
        FluentActions.Invoking(() => LoraBlend.SaveAll([("", [(1.0, a)])])).Should().Throw<ArgumentException>().WithMessage("*output path and its terms*");
    }

    [Fact]
    public void No_terms_a_weight_that_is_not_finite_and_a_non_finite_result_are_errors()
    {
        var a = Adapter("a.safetensors", 10);
        var withNaN = Tensors(a);
        var key = withNaN.Keys.First();
        withNaN[key][0].fill_(float.NaN);
        var nan = Path.Combine(dir, "nan.safetensors");
        using (var first = SafetensorsFile.Open(a))
        {
            SafetensorsWriter.Save(nan, withNaN, first.Metadata);
        }

        using var source = SafetensorsFile.Open(a);
        using var bad = SafetensorsFile.Open(nan);
        FluentActions.Invoking(() => LoraBlend.Combine([])).Should().Throw<ArgumentException>().WithMessage("*at least one*");
        FluentActions.Invoking(() => LoraBlend.Combine([(double.NaN, source)])).Should().Throw<ArgumentException>().WithMessage("*finite*");
        FluentActions.Invoking(() => LoraBlend.Combine([(1e300, source)])).Should().Throw<LoraBlendException>().Which.Problems.Should().NotBeEmpty();
        FluentActions.Invoking(() => LoraBlend.Combine([(0.5, source), (0.5, bad)])).Should().Throw<LoraBlendException>()
            .Which.Problems.Should().ContainSingle().Which.Should().Contain(key);
    }

    [Fact]
    public void Combining_leaves_no_tensor_behind_but_the_result()
    {
        var a = Adapter("a.safetensors", 11);
        var b = Adapter("b.safetensors", 12);
        using var sa = SafetensorsFile.Open(a);
        using var sb = SafetensorsFile.Open(b);

        LeakCheck.NoLiveTensorsAfter(() =>
        {
            var (tensors, _) = LoraBlend.Combine([(1.5, sa), (-0.5, sb)]);
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }
        });
    }
}
