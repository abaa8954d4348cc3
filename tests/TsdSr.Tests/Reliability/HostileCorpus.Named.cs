using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Runner;
using TsdSr.Imaging;
using static TsdSr.Tests.Reliability.HostileFiles;

namespace TsdSr.Tests.Reliability;

/// <summary>§3: every failure is named, once, without a stack trace, and one bad file never sinks a run.</summary>
internal static partial class HostileCorpus
{
    private static string[] NoStackTrace => ["   at "];

    private static IEnumerable<CorpusCase> NamedFailureCases()
    {
        foreach (var (id, input, craft, words) in new (string, string, Action<string>, string[])[]
        {
            ("eval-corrupt-image", "a corrupt SR image among good ones", p => File.WriteAllText(p, "garbage"), ["FAIL  c.png", "not a PNG, JPEG, BMP or WebP image"]),
            ("eval-zero-byte-image", "a zero-byte SR image", p => File.WriteAllBytes(p, []), ["FAIL  c.png", "empty (0 bytes)"]),
            ("eval-truncated-image", "an SR image cut in half", p => TruncatedJpeg(p, 8, 8), ["FAIL  c.png"]),
        })
        {
            yield return new(id, Named, $"`eval`: {input}",
                async w =>
                {
                    w.Save("sr/a.png", Flat(8, 8));
                    w.Save("hr/a.png", Flat(8, 8, 110));
                    w.Save("hr/c.png", Flat(8, 8, 110));
                    craft(w.P("sr/c.png"));
                    return await w.Eval("--sr", w.P("sr"), "--hr", w.P("hr"), "--metrics", "psnr");
                },
                "exit 1", [.. words, "Failed: 1 image(s) could not be evaluated"])
            {
                Absent = NoStackTrace,
                After = ("the good image was scored", (_, o) => o.Text.Contains("a.png", StringComparison.Ordinal) && o.Text.Contains("mean", StringComparison.Ordinal)),
            };
        }

        yield return new("eval-truncated-jpeg", Named, "`eval`: a JPEG cut in half (decoders fill it and succeed)",
            async w =>
            {
                TruncatedJpeg(Directory.CreateDirectory(w.P("sr")).FullName + "/t.jpg");
                return await w.Eval("--sr", w.P("sr"), "--metrics", "niqe");
            },
            "exit 1", "FAIL  t.jpg", "end-of-image marker", "truncated");

        yield return new("eval-read-only-output", Named, "`eval --output` in a read-only folder",
            async w =>
            {
                w.Save("sr/a.png", Flat(8, 8));
                w.Save("hr/a.png", Flat(8, 8, 110));
                return await w.Eval("--sr", w.P("sr"), "--hr", w.P("hr"), "--metrics", "psnr", "--output", Path.Combine(w.Unwritable(), "report.csv"));
            },
            "exit 2", "not writable")
        {
            Absent = ["[1/1]", .. NoStackTrace],
        };

        yield return new("eval-garbage-weights", Named, "`eval --weights` holding a garbage alexnet.safetensors",
            async w =>
            {
                w.Save("sr/a.png", Flat(8, 8));
                w.Save("hr/a.png", Flat(8, 8, 110));
                Directory.CreateDirectory(w.P("weights"));
                File.WriteAllText(w.P("weights/alexnet.safetensors"), "garbage");
                return await w.Eval("--sr", w.P("sr"), "--hr", w.P("hr"), "--metrics", "psnr,lpips", "--weights", w.P("weights"));
            },
            "exit 2", "Metric 'lpips' could not be created", "alexnet.safetensors")
        {
            Absent = NoStackTrace,
        };

        yield return new("eval-nan-metric", Named, "a metric that returns NaN (with a reason) for one image",
            w =>
            {
                w.Save("sr/a.png", Flat(8, 8));
                w.Save("sr/b.png", Flat(8, 8, 50));
                var registry = new MetricRegistry();
                registry.Register(new MetricDescriptor("picky", MetricKind.NoReference, false, "test", [], _ => new Picky()));
                var report = new EvaluationRunner(registry).Run(new EvaluationOptions { SrDirectory = w.P("sr"), Metrics = ["picky"] });
                var text = FormattableString.Invariant($"mean {report.Mean["picky"]}; a.png {report.Images[0].Values["picky"]}; ") + string.Join(" ", report.Warnings);
                return Task.FromResult(new CorpusOutcome(null, null, text));
            },
            "no exception", "mean 1;", "a.png NaN;", "picky: no value for 1 image(s), left out of the mean: a.png (too flat to judge)");

        yield return new("upscale-truncated-jpeg", Named, "`upscale`: a JPEG cut in half (RGBA output with transparent rows before)",
            async w =>
            {
                TruncatedJpeg(Directory.CreateDirectory(w.In).FullName + "/t.jpg");
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 1", "FAIL  t.jpg", "end-of-image marker", "Done: 1 upscaled, 1 failed");

        yield return new("upscale-zero-byte-image", Named, "`upscale`: a zero-byte PNG",
            async w =>
            {
                Directory.CreateDirectory(w.In);
                File.WriteAllBytes(w.P("in/empty.png"), []);
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 1", "FAIL  empty.png", "empty (0 bytes)");

        yield return new("upscale-error-printed-once", Named, "`upscale`: a corrupt image; its reason must appear once",
            async w =>
            {
                w.Save("in/a.png", Flat(2, 2));
                File.WriteAllText(w.P("in/bad.png"), "no");
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 1", "FAIL  bad.png", "Failed: bad.png (reasons above).")
        {
            After = ("the reason is printed once", (_, o) => o.Text.Split("not a PNG, JPEG, BMP or WebP image").Length == 2),
        };

        yield return new("upscale-unwritable-output", Named, "`upscale` into a read-only folder",
            async w =>
            {
                var input = w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(false, "--input", input, "--output", Path.Combine(w.Unwritable(), "a.png"));
            },
            "exit 2", "not writable")
        {
            After = ("found before any model was loaded", (w, _) => w.Fake.Creates == 0),
        };

        yield return new("degrade-bad-file", Named, "`degrade`: an unreadable HR file among good ones",
            async w =>
            {
                w.Save("hr/a.png", Noise(100, 90));
                File.WriteAllText(w.P("hr/bad.png"), "no");
                return await w.Degrade("--input", w.P("hr"), "--output", w.Out, "--crop", "64", "--preset", "stablesr");
            },
            "exit 1", "FAIL  bad.png", "Failed: 1 file(s) could not be read: bad.png", "1 pairs from 1 images (1 skipped)");

        yield return new("degrade-one-pixel-image", Named, "`degrade`: a 1×1 HR image",
            async w =>
            {
                w.Save("hr/a.png", Noise(100, 90));
                w.Save("hr/dot.png", Flat(1, 1));
                return await w.Degrade("--input", w.P("hr"), "--output", w.Out, "--crop", "64", "--preset", "stablesr");
            },
            "exit 0", "skip  dot.png: 1x1 is smaller than the 64x64 crop.");

        yield return new("lora-without-lora-b", Named, "a LoRA file whose lora_B tensors are missing",
            async w =>
            {
                EditSafetensors(w.ModelPath("lora/transformer.safetensors"), t =>
                {
                    foreach (var key in t.Keys.Where(k => k.Contains(".lora_B.", StringComparison.Ordinal)).ToList())
                    {
                        t[key].Dispose();
                        t.Remove(key);
                    }
                });
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "missing from the file (their partner is present)", "lora_B.weight");

        yield return new("weights-all-nan", Named, "transformer weights that are all NaN",
            async w =>
            {
                EditSafetensors(w.ModelPath("transformer/diffusion_pytorch_model.safetensors"), t =>
                {
                    foreach (var key in t.Keys.ToList())
                    {
                        var nan = torch.full_like(t[key], float.NaN);
                        t[key].Dispose();
                        t[key] = nan;
                    }
                });
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "holding NaN or infinite values", "proj_out.weight");

        yield return new("weights-i32-for-f32", Named, "an I32 tensor where the transformer has F32",
            async w =>
            {
                EditSafetensors(w.ModelPath("transformer/diffusion_pytorch_model.safetensors"), t =>
                {
                    var i32 = t["proj_out.weight"].to(ScalarType.Int32);
                    t["proj_out.weight"].Dispose();
                    t["proj_out.weight"] = i32;
                });
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "values of another kind", "proj_out.weight: model Float32, file I32");

        yield return new("embeddings-wrong-shape", Named, "prompt embeddings whose width does not fit the transformer",
            async w =>
            {
                EditSafetensors(w.ModelPath("embeddings/embeddings.safetensors"), t =>
                {
                    t["prompt_embeds"].Dispose();
                    t["prompt_embeds"] = torch.zeros(1, 7, 7);
                });
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "embeddings.safetensors", "prompt_embeds has shape [1, 7, 7]", "joint_attention_dim");
    }

    /// <summary>NaN (thrown, with a reason) for the first image, 1 for the others.</summary>
    private sealed class Picky : INoReferenceMetric
    {
        private int calls;

        public string Name => "picky";

        public bool LowerIsBetter => false;

        public MetricKind Kind => MetricKind.NoReference;

        public double Compute(RgbImage image) => calls++ == 0 ? throw new ArgumentException("too flat to judge") : 1.0;

        public void Dispose()
        {
        }
    }
}
