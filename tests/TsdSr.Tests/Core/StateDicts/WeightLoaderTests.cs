using TorchSharp.Modules;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.StateDicts;

public class WeightLoaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-wl-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Two linears, a persistent buffer and a non-persistent cache, named like diffusers fields.</summary>
    private sealed class TinyNet : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1 = nn.Linear(4, 3);
        private readonly Linear fc2 = nn.Linear(3, 2);

        public TinyNet()
            : base(nameof(TinyNet))
        {
            register_buffer("offset", zeros(2));
            register_buffer("cache", ones(5), persistent: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => fc2.forward(fc1.forward(input));
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to a thread pool).</summary>
    private sealed class ListProgress(Action<(int Done, int Total)>? onReport = null) : IProgress<(int Done, int Total)>
    {
        public List<(int Done, int Total)> Reports { get; } = [];

        public void Report((int Done, int Total) value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    private static readonly string[] AllKeys = ["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight", "offset"];

    /// <summary>A file whose tensor k is filled with the value k+1 (in the key order given).</summary>
    private string WriteFile(string name, params (string Key, long[] Shape)[] entries)
    {
        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < entries.Length; i++)
        {
            tensors[entries[i].Key] = full(entries[i].Shape, (float)(i + 1));
        }

        var path = Path.Combine(dir, name);
        SafetensorsWriter.Save(path, tensors);
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        return path;
    }

    private string WriteExactFile(string name = "exact.safetensors", string prefix = "") =>
        WriteFile(
            name,
            (prefix + "fc1.weight", [3, 4]),
            (prefix + "fc1.bias", [3]),
            (prefix + "fc2.weight", [2, 3]),
            (prefix + "fc2.bias", [2]),
            (prefix + "offset", [2]));

    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void ShouldBeUnchanged(nn.Module module, Dictionary<string, Tensor> before)
    {
        foreach (var (k, t) in module.state_dict())
        {
            t.allclose(before[k], 0, 0).Should().BeTrue($"'{k}' must be untouched");
            before[k].Dispose();
        }
    }

    private static float[] Values(nn.Module module, string key) => module.state_dict()[key].detach().to(float32).data<float>().ToArray();

    [Fact]
    public void An_exact_file_fills_every_parameter_and_persistent_buffer_but_no_non_persistent_buffer()
    {
        using var net = new TinyNet();
        var report = WeightLoader.Load(net, WriteExactFile());

        report.IsExact.Should().BeTrue();
        report.Loaded.Should().BeEquivalentTo(AllKeys);
        Values(net, "fc1.weight").Should().AllBeEquivalentTo(1f);
        Values(net, "fc1.bias").Should().AllBeEquivalentTo(2f);
        Values(net, "fc2.weight").Should().AllBeEquivalentTo(3f);
        Values(net, "fc2.bias").Should().AllBeEquivalentTo(4f);
        Values(net, "offset").Should().AllBeEquivalentTo(5f);
        net.state_dict().Keys.Should().NotContain("cache");
    }

    [Fact]
    public void A_strict_load_lists_missing_unexpected_and_mis_shaped_keys_by_name_and_leaves_the_module_untouched()
    {
        using var net = new TinyNet();
        var before = Snapshot(net);
        var path = WriteFile(
            "bad.safetensors",
            ("fc1.weight", [3, 5]),
            ("fc1.bias", [3]),
            ("fc2.weight", [2, 3]),
            ("offset", [2]),
            ("extra.weight", [7]));

        var act = () => WeightLoader.Load(net, path);
        var e = act.Should().Throw<WeightLoadException>().Which;

        e.Message.Should().Contain(path)
            .And.Contain("fc2.bias")
            .And.Contain("extra.weight")
            .And.Contain("fc1.weight: model [3, 4], file [3, 5]");
        e.Report.Missing.Should().Equal("fc2.bias");
        e.Report.Unexpected.Should().Equal("extra.weight");
        e.Report.Mismatched.Should().ContainSingle().Which.Should().Match<ShapeMismatch>(m => m.Key == "fc1.weight");
        e.Report.Mismatched[0].ModuleShape.Should().Equal(3, 4);
        e.Report.Mismatched[0].FileShape.Should().Equal(3, 5);
        e.Data["Missing"].Should().Be("fc2.bias");
        ShouldBeUnchanged(net, before);
    }

    [Fact]
    public void The_exception_message_caps_long_lists_but_the_report_keeps_every_key()
    {
        using var net = new TinyNet();
        var entries = Enumerable.Range(0, 30).Select(i => ($"junk.{i:D2}", new long[] { 1 })).ToArray();
        var path = WriteFile("junk.safetensors", entries);
        var act = () => WeightLoader.Load(net, path);
        var e = act.Should().Throw<WeightLoadException>().Which;
        e.Report.Unexpected.Should().HaveCount(30);
        e.Message.Should().Contain("junk.00").And.Contain("and 10 more").And.NotContain("junk.29");
    }

    [Fact]
    public void A_non_strict_load_returns_the_report_and_loads_everything_that_fits()
    {
        using var net = new TinyNet();
        var fc1WeightBefore = Values(net, "fc1.weight");
        var fc2BiasBefore = Values(net, "fc2.bias");
        var path = WriteFile("partial.safetensors", ("fc1.weight", [4, 3]), ("fc2.weight", [2, 3]), ("zzz", [1]));

        var report = WeightLoader.Load(net, path, new WeightLoadOptions { Strict = false });

        report.IsExact.Should().BeFalse();
        report.Loaded.Should().Equal("fc2.weight");
        report.Missing.Should().Equal("fc1.bias", "fc2.bias", "offset");
        report.Unexpected.Should().Equal("zzz");
        report.Mismatched.Select(m => m.Key).Should().Equal("fc1.weight");
        Values(net, "fc2.weight").Should().AllBeEquivalentTo(2f);
        Values(net, "fc1.weight").Should().Equal(fc1WeightBefore);
        Values(net, "fc2.bias").Should().Equal(fc2BiasBefore);
    }

    [Fact]
    public void A_key_map_can_rename_and_drop_file_keys()
    {
        using var net = new TinyNet();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (k, t) in new[] { ("model.fc1.weight", full(new long[] { 3, 4 }, 1f)), ("model.fc1.bias", full(new long[] { 3 }, 2f)), ("model.fc2.weight", full(new long[] { 2, 3 }, 3f)), ("model.fc2.bias", full(new long[] { 2 }, 4f)), ("model.offset", full(new long[] { 2 }, 5f)), ("ema.fc1.weight", full(new long[] { 9 }, 6f)) })
        {
            tensors[k] = t;
        }

        var path = Path.Combine(dir, "mapped.safetensors");
        SafetensorsWriter.Save(path, tensors);
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        var report = WeightLoader.Load(net, path, new WeightLoadOptions
        {
            KeyMap = k => k.StartsWith("ema.", StringComparison.Ordinal) ? null : k["model.".Length..],
        });

        report.IsExact.Should().BeTrue();
        Values(net, "fc1.weight").Should().AllBeEquivalentTo(1f);
        Values(net, "offset").Should().AllBeEquivalentTo(5f);
    }

    [Fact]
    public void A_key_map_that_merges_two_file_keys_is_refused_before_writing()
    {
        using var net = new TinyNet();
        var before = Snapshot(net);
        var path = WriteExactFile();
        var act = () => WeightLoader.Load(net, path, new WeightLoadOptions { KeyMap = k => k == "fc1.bias" ? "fc2.bias" : k });
        act.Should().Throw<ArgumentException>().WithMessage("*'fc1.bias'*'fc2.bias'*");
        ShouldBeUnchanged(net, before);
    }

    [Fact]
    public void A_module_key_filter_restricts_the_keys_the_file_must_provide()
    {
        using var net = new TinyNet();
        var path = WriteFile("fc1.safetensors", ("fc1.weight", [3, 4]), ("fc1.bias", [3]));
        var report = WeightLoader.Load(net, path, new WeightLoadOptions { ModuleKeyFilter = k => k.StartsWith("fc1.", StringComparison.Ordinal) });
        report.IsExact.Should().BeTrue();
        report.Loaded.Should().BeEquivalentTo("fc1.weight", "fc1.bias");
        Values(net, "fc1.bias").Should().AllBeEquivalentTo(2f);
    }

    [Fact]
    public void Progress_is_reported_after_each_tensor()
    {
        using var net = new TinyNet();
        var progress = new ListProgress();
        WeightLoader.Load(net, WriteExactFile(), new WeightLoadOptions { Progress = progress });
        progress.Reports.Should().Equal((1, 5), (2, 5), (3, 5), (4, 5), (5, 5));
    }

    [Fact]
    public void A_cancelled_token_stops_before_anything_is_written()
    {
        using var net = new TinyNet();
        var before = Snapshot(net);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var act = () => WeightLoader.Load(net, WriteExactFile(), new WeightLoadOptions { CancellationToken = cts.Token });
        act.Should().Throw<OperationCanceledException>();
        ShouldBeUnchanged(net, before);
    }

    [Fact]
    public void Cancelling_during_the_load_stops_between_tensors()
    {
        using var net = new TinyNet();
        using var cts = new CancellationTokenSource();
        var progress = new ListProgress(p => cts.Cancel());
        var act = () => WeightLoader.Load(net, WriteExactFile(), new WeightLoadOptions { CancellationToken = cts.Token, Progress = progress });
        act.Should().Throw<OperationCanceledException>();
        progress.Reports.Should().Equal((1, 5));
        Values(net, "fc1.bias").Should().AllBeEquivalentTo(2f, "keys load in name order, fc1.bias first");
        Values(net, "fc1.weight").Should().NotContain(1f);
    }

    [Fact]
    public void An_F32_file_loads_into_a_bf16_module_converting_on_copy()
    {
        using var net = new TinyNet();
        net.to(bfloat16);
        var path = WriteExactFile();
        WeightLoader.Load(net, path).IsExact.Should().BeTrue();
        net.state_dict()["fc2.weight"].dtype.Should().Be(ScalarType.BFloat16);
        Values(net, "fc2.weight").Should().AllBeEquivalentTo(3f);
        Values(net, "offset").Should().AllBeEquivalentTo(5f);
    }

    [Fact]
    public void Loaded_parameters_keep_requires_grad_and_record_no_autograd_history()
    {
        using var net = new TinyNet();
        WeightLoader.Load(net, WriteExactFile());
        var w = net.parameters().First();
        w.requires_grad.Should().BeTrue();
        w.is_leaf.Should().BeTrue();
    }

    [Fact]
    public void Loading_leaves_no_live_tensors_behind_even_with_dtype_conversion()
    {
        using var net = new TinyNet();
        net.to(float16);
        var path = WriteExactFile();
        LeakCheck.NoLiveTensorsAfter(() => WeightLoader.Load(net, path));
    }
}
