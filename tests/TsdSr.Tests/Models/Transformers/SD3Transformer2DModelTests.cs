using TsdSr.Core.SafeTensors;
using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Transformers;

/// <summary>The MMDiT against diffusers' golden outputs (tiny SD3 and SD3.5 fixtures, fp32 CPU).</summary>
public class SD3Transformer2DModelTests(ITestOutputHelper output)
{
    /// <summary>Each fixture with both fp32 linear engines: libtorch's product and the 1×1 convolution
    /// (<see cref="TsdSr.Models.Lora.LoraLinear.Fp32ConvolutionOnCpu"/>), held to the same bars.</summary>
    public static TheoryData<string, string, bool> Cases
    {
        get
        {
            var cases = new TheoryData<string, string, bool>();
            foreach (var (fixture, file) in new[] { ("sd3_transformer_tiny", "io.safetensors"), ("sd3_transformer_tiny", "io_nonsquare.safetensors"), ("sd35_transformer_tiny", "io.safetensors"), ("sd35_transformer_tiny", "io_nonsquare.safetensors") })
            {
                cases.Add(fixture, file, false);
                cases.Add(fixture, file, true);
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_and_every_intermediate_match_diffusers_in_fp32(string fixture, string file, bool linearAsConvolution)
    {
        using var model = SD3Transformer2DModel.FromPretrained(TransformerFixtureIo.Directory(fixture));
        var linears = model.modules().OfType<TsdSr.Models.Lora.LoraLinear>().ToList();
        linears.Should().NotBeEmpty();
        linears.ForEach(l => l.Fp32ConvolutionOnCpu = linearAsConvolution);
        using var io = TransformerFixtureIo.Load(fixture, file);
        var expected = io.Intermediates;
        var errors = new Dictionary<string, double>();

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sample = model.forward(io.HiddenStates, io.EncoderHiddenStates, io.PooledProjections, io.Timestep,
            intermediates: (name, t) => errors[name] = TensorAssert.MaxAbsDiff(t, expected[name]));
        var sampleError = TensorAssert.MaxAbsDiff(sample, io.Sample);

        foreach (var (name, error) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{fixture}/{file} ({(linearAsConvolution ? "conv" : "product")}) {name}: max abs error {error:E2}");
        }

        output.WriteLine($"{fixture}/{file} ({(linearAsConvolution ? "conv" : "product")}) sample: max abs error {sampleError:E2}, max |sample| {io.Sample.abs().max().item<float>():F3}, bar {TransformerTolerances.EndToEnd(io.Sample):E2}");
        errors.Keys.Should().BeEquivalentTo(expected.Keys, "the model reports every intermediate the fixture holds");
        errors[SD3TransformerIntermediates.TimestepProj].Should().BeLessThanOrEqualTo(TransformerTolerances.TimestepProj);
        errors.Where(e => e.Key != SD3TransformerIntermediates.TimestepProj)
            .Should().OnlyContain(e => e.Value <= TransformerTolerances.EndToEnd(expected[e.Key]), "each stage must match diffusers in fp32");
        sampleError.Should().BeLessThanOrEqualTo(TransformerTolerances.EndToEnd(io.Sample));
    }

    [Theory]
    [InlineData("sd3_transformer_tiny", 95)]
    [InlineData("sd35_transformer_tiny", 117)]
    public void Strict_load_uses_exactly_the_checkpoint_keys_and_shapes(string fixture, int tensorCount)
    {
        using var model = SD3Transformer2DModel.FromPretrained(TransformerFixtureIo.Directory(fixture));
        using var file = SafetensorsFile.Open(FixturePaths.Get(fixture, SD3Transformer2DModel.WeightsFileName));
        var stateDict = model.state_dict();

        file.Tensors.Should().HaveCount(tensorCount);
        stateDict.Keys.Should().BeEquivalentTo(file.Tensors.Keys);
        foreach (var (key, info) in file.Tensors)
        {
            stateDict[key].shape.Should().Equal(info.Shape, key);
        }
    }

    [Theory]
    [InlineData("sd3_transformer_tiny")]
    [InlineData("sd35_transformer_tiny")]
    public void Loaded_weights_equal_the_checkpoint_tensors(string fixture)
    {
        using var model = SD3Transformer2DModel.FromPretrained(TransformerFixtureIo.Directory(fixture));
        var weights = SafetensorsFile.LoadAll(FixturePaths.Get(fixture, SD3Transformer2DModel.WeightsFileName));
        try
        {
            var stateDict = model.state_dict();
            weights.Should().OnlyContain(kv => stateDict[kv.Key].allclose(kv.Value, 0, 0));
        }
        finally
        {
            foreach (var t in weights.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void A_forward_inside_a_dispose_scope_leaves_no_live_tensors()
    {
        using var model = SD3Transformer2DModel.FromPretrained(TransformerFixtureIo.Directory("sd35_transformer_tiny"));
        using var io = TransformerFixtureIo.Load("sd35_transformer_tiny", "io_nonsquare.safetensors");
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var scope = NewDisposeScope();
            model.forward(io.HiddenStates, io.EncoderHiddenStates, io.PooledProjections, io.Timestep, skipLayers: [1]);
        });
    }

    [Theory]
    [InlineData("sd3_transformer_tiny")]
    [InlineData("sd35_transformer_tiny")]
    public void Skipping_layers_changes_the_output(string fixture)
    {
        using var model = SD3Transformer2DModel.FromPretrained(TransformerFixtureIo.Directory(fixture));
        using var io = TransformerFixtureIo.Load(fixture, "io.safetensors");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var reported = new List<string>();

        var skipped = model.forward(io.HiddenStates, io.EncoderHiddenStates, io.PooledProjections, io.Timestep, skipLayers: [1],
            intermediates: (name, _) => reported.Add(name));

        skipped.isfinite().all().item<bool>().Should().BeTrue();
        TensorAssert.MaxAbsDiff(skipped, io.Sample).Should().BeGreaterThan(1e-2, "block 1 contributes to the output");
        reported.Should().NotContain(SD3TransformerIntermediates.BlockHiddenStates(1)).And.Contain(SD3TransformerIntermediates.BlockHiddenStates(2));
    }

    [Theory]
    [InlineData("sd3_transformer_tiny", "io.safetensors")]
    [InlineData("sd3_transformer_tiny", "io_nonsquare.safetensors")]
    [InlineData("sd35_transformer_tiny", "io.safetensors")]
    [InlineData("sd35_transformer_tiny", "io_nonsquare.safetensors")]
    public void Bfloat16_weights_and_inputs_stay_close_to_the_fp32_golden_output(string fixture, string file)
    {
        using var model = SD3Transformer2DModel.FromPretrained(TransformerFixtureIo.Directory(fixture), ScalarType.BFloat16);
        using var io = TransformerFixtureIo.Load(fixture, file);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        // The pipeline passes the scheduler's fp32 timesteps; the other inputs follow the model dtype.
        var sample = model.forward(io.HiddenStates.to(ScalarType.BFloat16), io.EncoderHiddenStates.to(ScalarType.BFloat16),
            io.PooledProjections.to(ScalarType.BFloat16), io.Timestep);

        sample.dtype.Should().Be(ScalarType.BFloat16);
        var error = TensorAssert.MaxAbsDiff(sample, io.Sample);
        var maxOut = io.Sample.abs().max().item<float>();
        output.WriteLine($"{fixture}/{file} bf16: max abs error {error:E3}, max |sample| {maxOut:F3}, ratio {error / maxOut:E2}");
        error.Should().BeLessThanOrEqualTo(0.05 * maxOut, "bf16 keeps about 3 significant digits through 3 blocks");
    }

    [Fact]
    public void A_random_model_built_from_a_config_has_the_checkpoint_layout_and_the_diffusers_position_table()
    {
        var config = SD3TransformerConfig.FromFile(FixturePaths.Get("sd35_transformer_tiny", SD3Transformer2DModel.ConfigFileName));
        using var model = new SD3Transformer2DModel(config);
        using var file = SafetensorsFile.Open(FixturePaths.Get("sd35_transformer_tiny", SD3Transformer2DModel.WeightsFileName));
        using var table = file.Read("pos_embed.pos_embed");
        var stateDict = model.state_dict();

        stateDict.Keys.Should().BeEquivalentTo(file.Tensors.Keys);
        stateDict.Should().OnlyContain(kv => kv.Value.shape.SequenceEqual(file.Tensors[kv.Key].Shape));
        TensorAssert.Close(stateDict["pos_embed.pos_embed"], table, 1e-6, "the fixture stores diffusers' own sine-cosine table");
    }

    [Fact]
    public void Parameter_count_of_the_config_equals_the_built_model()
    {
        var config = SD3TransformerConfig.Tiny with { DualAttentionLayers = [0, 2], QkNorm = SD3TransformerConfig.RmsNorm };
        using var model = new SD3Transformer2DModel(config);

        config.ParameterCount().Should().Be(model.parameters().Sum(p => p.numel()));
        config.ParameterCount(includePositionTable: true).Should().Be(model.state_dict().Values.Sum(t => t.numel()));
    }

    [Fact]
    public void A_sharded_checkpoint_loads_like_the_single_file()
    {
        const string fixture = "sd3_transformer_tiny";
        var dir = Path.Combine(Path.GetTempPath(), "tsdsr-sharded-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(FixturePaths.Get(fixture, SD3Transformer2DModel.ConfigFileName), Path.Combine(dir, SD3Transformer2DModel.ConfigFileName));
            var weights = SafetensorsFile.LoadAll(FixturePaths.Get(fixture, SD3Transformer2DModel.WeightsFileName));
            var shards = weights.GroupBy(kv => kv.Key.StartsWith("transformer_blocks.", StringComparison.Ordinal) ? "b" : "a").ToList();
            var map = new Dictionary<string, string>();
            foreach (var shard in shards)
            {
                var name = $"diffusion_pytorch_model-{shard.Key}.safetensors";
                SafetensorsWriter.Save(Path.Combine(dir, name), shard);
                foreach (var kv in shard)
                {
                    map[kv.Key] = name;
                }
            }

            File.WriteAllText(Path.Combine(dir, SD3Transformer2DModel.WeightsIndexFileName),
                System.Text.Json.JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));
            foreach (var t in weights.Values)
            {
                t.Dispose();
            }

            using var model = SD3Transformer2DModel.FromPretrained(dir);
            using var io = TransformerFixtureIo.Load(fixture, "io_nonsquare.safetensors");
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var sample = model.forward(io.HiddenStates, io.EncoderHiddenStates, io.PooledProjections, io.Timestep);
            TensorAssert.Close(sample, io.Sample, TransformerTolerances.EndToEnd(io.Sample));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_config_that_contradicts_the_checkpoint_variant_is_reported_before_loading()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tsdsr-variant-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(FixturePaths.Get("sd3_transformer_tiny", SD3Transformer2DModel.ConfigFileName), Path.Combine(dir, SD3Transformer2DModel.ConfigFileName));
            File.Copy(FixturePaths.Get("sd35_transformer_tiny", SD3Transformer2DModel.WeightsFileName), Path.Combine(dir, SD3Transformer2DModel.WeightsFileName));

            var load = () => SD3Transformer2DModel.FromPretrained(dir);

            load.Should().Throw<InvalidDataException>().WithMessage("*dual_attention_layers [0], qk_norm rms_norm*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Missing_folders_and_weights_are_reported_by_name()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tsdsr-missing-" + Guid.NewGuid().ToString("N"));
        var noFolder = () => SD3Transformer2DModel.FromPretrained(dir);
        noFolder.Should().Throw<DirectoryNotFoundException>();

        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(FixturePaths.Get("sd3_transformer_tiny", SD3Transformer2DModel.ConfigFileName), Path.Combine(dir, SD3Transformer2DModel.ConfigFileName));
            var noWeights = () => SD3Transformer2DModel.FromPretrained(dir);
            noWeights.Should().Throw<FileNotFoundException>().WithMessage($"*{SD3Transformer2DModel.WeightsFileName}*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Inputs_of_the_wrong_shape_or_too_large_for_the_position_table_are_rejected()
    {
        using var model = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        using var scope = NewDisposeScope();
        var context = zeros(1, 3, 32);
        var pooled = zeros(1, 24);
        var t = ones(1);

        var wrongChannels = () => model.forward(zeros(1, 4, 8, 8), context, pooled, t);
        var oddSize = () => model.forward(zeros(1, 16, 9, 8), context, pooled, t);
        var tooLarge = () => model.forward(zeros(1, 16, 50, 8), context, pooled, t);
        var wrongBatch = () => model.forward(zeros(2, 16, 8, 8), context, pooled, ones(2));

        wrongChannels.Should().Throw<ArgumentException>().WithMessage("*hidden_states*");
        oddSize.Should().Throw<ArgumentException>().WithMessage("*divisible*");
        tooLarge.Should().Throw<ArgumentException>().WithMessage("*pos_embed_max_size*");
        wrongBatch.Should().Throw<ArgumentException>().WithMessage("*encoder_hidden_states*");
    }
}
