using System.Text.Json.Nodes;
using TsdSr.Models.Transformers;
using TsdSr.Tests.Core.Pickle;
using TsdSr.Tests.TestSupport;
using static TsdSr.Tests.Reliability.HostileFiles;

namespace TsdSr.Tests.Reliability;

/// <summary>§2: the work, the models and the waits are bounded, and every limit names the option that sets it.</summary>
internal static partial class HostileCorpus
{
    private static IEnumerable<CorpusCase> UnboundedCases()
    {
        yield return new("png-3x1000-strip", Unbounded, "a 3×1000 PNG (about 100 bytes) that the minimum-side rule makes 512×170664",
            async w =>
            {
                w.Save("in/strip.png", Flat(3, 1000));
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 1", "A 3x1000 input is worked at 512x170664", "--max-aspect-ratio")
        {
            After = ("no model was loaded", (w, _) => w.Fake.Creates == 0),
        };

        yield return new("png-1x16384-column", Unbounded, "a 1×16384 PNG (libtorch was asked for 51.5 GB)",
            async w =>
            {
                w.Save("in/column.png", Flat(1, 16384));
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 1", "1x16384", "aspect-ratio limit of 32")
        {
            After = ("no model was loaded", (w, _) => w.Fake.Creates == 0),
        };

        yield return new("png-1x16384-aspect-raised", Unbounded, "the same with `--max-aspect-ratio 20000`",
            async w =>
            {
                w.Save("in/column.png", Flat(1, 16384));
                return await w.Upscale(false, "--input", w.In, "--output", w.Out, "--max-aspect-ratio", "20000");
            },
            "exit 1", "512x8388608", "over the limit of 268,435,456 pixels", "--max-process-pixels");

        yield return new("png-header-pixel-bomb", Unbounded, "a PNG header claiming 100000×100000 pixels",
            async w =>
            {
                Directory.CreateDirectory(w.In);
                PngHeaderOnly(w.P("in/bomb.png"), 100_000, 100_000);
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 1", "over the limit of 16777216", "--max-input-pixels");

        yield return new("transformer-100000-layers", Unbounded, "`\"num_layers\": 100000` in transformer/config.json (22.8 GB before)",
            async w =>
            {
                EditConfig(w.ModelPath("transformer/config.json"), c => c["num_layers"] = 100000);
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "Could not load the models", "100000 layers", "does not belong to these weights");

        yield return new("vae-huge-channels", Unbounded, "a last `block_out_channels` entry of 4000000 in vae/config.json",
            async w =>
            {
                EditConfig(w.ModelPath("vae/config.json"), c =>
                {
                    var channels = c["block_out_channels"]!.AsArray();
                    channels[channels.Count - 1] = 4_000_000;
                });
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "Could not load the models", "does not belong to these weights");

        yield return new("train-lora-rank-1e8", Unbounded, "`lora.student_rank: 100000000` in a training config",
            async w =>
            {
                w.Training.Config(edit: j => j["lora"]!["student_rank"] = 100_000_000);
                return await w.Train("--config", w.Training.ConfigPath!);
            },
            "exit 2", "Refusing to build the training run", "lora.student_rank 100000000", "TiB");

        yield return new("config-unknown-key", Unbounded, "an unknown key `num_layer` in transformer/config.json",
            w =>
            {
                EditConfig(w.ModelPath("transformer/config.json"), c => c["num_layer"] = 24);
                return LoadWithWarnings(w);
            },
            "no exception", "unknown key 'num_layer' is ignored");

        yield return new("config-wrong-class-name", Unbounded, "`_class_name: UNet2DConditionModel` in transformer/config.json",
            w =>
            {
                EditConfig(w.ModelPath("transformer/config.json"), c => c["_class_name"] = "UNet2DConditionModel");
                return LoadWithWarnings(w);
            },
            "no exception", "_class_name is \"UNet2DConditionModel\", expected \"SD3Transformer2DModel\"");

        yield return new("prompt-embeds-inflating-pt", Unbounded, "a prompt_embeds.pt of under 1 MB that inflates to [1, 6250000, 32] (800 MB)",
            async w =>
            {
                File.Delete(w.ModelPath("embeddings/embeddings.safetensors"));
                File.Delete(w.ModelPath("embeddings/prompt_embeds.pt"));
                var pickle = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 1, 6_250_000, 32).Stop();
                TorchZip.WriteDeflatedZeros(w.ModelPath("embeddings/prompt_embeds.pt"), pickle.ToArray(), "0", 6_250_000L * 32 * 4);
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "prompt_embeds.pt", "[1, 6250000, 32]", "tokens ≤ 4096");

        yield return new("fifo-transformer-weights", Unbounded, "a FIFO in place of transformer/diffusion_pytorch_model.safetensors",
            async w =>
            {
                var weights = w.ModelPath("transformer/diffusion_pytorch_model.safetensors");
                File.Delete(weights);
                SpecialFiles.MakeFifo(weights);
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "diffusion_pytorch_model.safetensors", "not a regular file");

        yield return new("fifo-config", Unbounded, "a FIFO in place of transformer/config.json",
            async w =>
            {
                var config = w.ModelPath("transformer/config.json");
                File.Delete(config);
                SpecialFiles.MakeFifo(config);
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "config.json", "not a regular file");

        yield return new("fifo-lora", Unbounded, "a FIFO in place of lora/transformer.safetensors",
            async w =>
            {
                var lora = w.ModelPath("lora/transformer.safetensors");
                File.Delete(lora);
                SpecialFiles.MakeFifo(lora);
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "transformer.safetensors", "not a regular file");

        yield return new("fifo-embeddings", Unbounded, "a FIFO in place of embeddings/embeddings.safetensors",
            async w =>
            {
                var embeddings = w.ModelPath("embeddings/embeddings.safetensors");
                File.Delete(embeddings);
                SpecialFiles.MakeFifo(embeddings);
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(true, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "embeddings.safetensors", "not a regular file");

        yield return new("fifo-input-image", Unbounded, "a FIFO named photo.png among the inputs",
            async w =>
            {
                w.Save("in/a.png", Flat(2, 2));
                SpecialFiles.MakeFifo(w.P("in/photo.png"));
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 1", "FAIL  photo.png", "not a regular file", "Done: 1 upscaled, 1 failed");

        yield return new("redirected-output-progress", Unbounded, "an upscale whose standard output is not a terminal",
            async w =>
            {
                w.Save("in/a.png", Flat(2, 2));
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 0", "models: loading", "a.png: transformer 1/2");

        yield return new("eval-8000-squared-pair", Unbounded, "an 8000×8000 SR/HR pair (9 GB before)",
            async w =>
            {
                Directory.CreateDirectory(w.P("sr"));
                Directory.CreateDirectory(w.P("hr"));
                PngHeaderOnly(w.P("sr/big.png"), 8000, 8000);
                PngHeaderOnly(w.P("hr/big.png"), 8000, 8000);
                w.Save("sr/a.png", Flat(8, 8));
                w.Save("hr/a.png", Flat(8, 8, 110));
                return await w.Eval("--sr", w.P("sr"), "--hr", w.P("hr"), "--metrics", "psnr");
            },
            "exit 1", "FAIL  big.png", "over the limit of 16777216 (EvaluationOptions.MaxPixels; tsdsr eval --max-pixels)");
    }

    private static void EditConfig(string path, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
    }

    /// <summary>Loads the workspace's transformer; the outcome's text is the warnings.</summary>
    private static async Task<CorpusOutcome> LoadWithWarnings(CorpusWorkspace w)
    {
        var warnings = new List<string>();
        var outcome = await CorpusWorkspace.Call(() => SD3Transformer2DModel.FromPretrained(w.ModelPath("transformer"), onWarning: warnings.Add).Dispose());
        return outcome with { Text = outcome.Text + string.Join(Environment.NewLine, warnings) };
    }
}
