using System.Text.Json.Nodes;
using TsdSr.Data.PairFolders;
using TsdSr.Tests.TestSupport;
using TsdSr.Tests.Training.Loop;
using TsdSr.Training.Config;

namespace TsdSr.Tests.Training.Runs;

/// <summary>
/// A temporary run folder: a pair folder of real photos (realsr_subset, area-downsampled to 64², LR = bicubic ×4 down
/// and up) and a JSON config over the tiny fixture models, written the way a user writes one.
/// </summary>
internal sealed class RunTestFolder : IDisposable
{
    public RunTestFolder(int pairs = 5)
    {
        Root = TrainingTestSupport.TempDir();
        Pairs = Path.Combine(Root, "pairs");
        var (hr, lr) = LoopTestSetup.RealImages(pairs);
        using (hr)
        using (lr)
        {
            var writer = new PairFolderWriter(Pairs);
            for (int i = 0; i < pairs; i++)
            {
                using var g = hr[i];
                using var l = lr[i];
                writer.Write(i, g, l);
            }
        }
    }

    public string Root { get; }

    /// <summary>A folder with the first three RealSR HR photos (512²), made on first use, for online degradation.</summary>
    public string HrFolder
    {
        get
        {
            var hr = Path.Combine(Root, "hr");
            if (!Directory.Exists(hr))
            {
                Directory.CreateDirectory(hr);
                var source = Path.Combine(AppContext.BaseDirectory, "data", "realsr_subset", "hr");
                foreach (var file in Directory.GetFiles(source, "*.png").Order(StringComparer.Ordinal).Take(3))
                {
                    File.Copy(file, Path.Combine(hr, Path.GetFileName(file)));
                }
            }

            return hr;
        }
    }

    /// <summary>
    /// The data section of an online run over <see cref="HrFolder"/>: 64 px crops, ×4 default degradation, batch 2,
    /// shuffled (3 images, so epochs wrap inside batches).
    /// </summary>
    public JsonObject OnlineData() => new()
    {
        ["hr_folders"] = new JsonArray(HrFolder),
        ["crop_size"] = 64,
        ["batch_size"] = 2,
        ["shuffle"] = true,
    };

    public string Pairs { get; }

    public static string Models => FixturePaths.Get("tsdsr_pipeline_tiny");

    public static string Embeddings => FixturePaths.Get("tsdsr_pipeline_tiny", "embeddings");

    public static string LpipsBackbone => FixturePaths.Get("lpips_alex_random_backbone", "alexnet_features.safetensors.index.json");

    /// <summary>
    /// The tiny config as JSON (DASM on, batch 2, shuffled, constant LR after 2 warm-up steps), with
    /// <paramref name="edit"/> applied to the JSON object before it is written and loaded.
    /// </summary>
    public TsdSrTrainingConfig Config(string output = "run", Action<JsonObject>? edit = null)
    {
        var json = new JsonObject
        {
            ["output_dir"] = Path.Combine(Root, output),
            ["data"] = new JsonObject { ["pair_folders"] = new JsonArray(Pairs), ["batch_size"] = 2, ["shuffle"] = true },
            ["models"] = new JsonObject
            {
                ["base_model"] = Models,
                ["teacher_lora"] = Path.Combine(Models, "lora", "transformer.safetensors"),
                ["default_prompt_embeds"] = Embeddings,
                ["null_prompt_embeds"] = Embeddings,
                ["lpips_backbone"] = LpipsBackbone,
            },
            ["lora"] = new JsonObject { ["student_rank"] = 4, ["vae_rank"] = 4, ["fake_score_rank"] = 4 },
            ["student_optimizer"] = new JsonObject { ["learning_rate"] = 1e-3 },
            ["fake_score_optimizer"] = new JsonObject { ["learning_rate"] = 1e-3 },
            ["lr_schedule"] = new JsonObject { ["kind"] = "constant_with_warmup", ["warmup_steps"] = 2 },
            ["dasm"] = new JsonObject { ["enabled"] = true },
            ["reconstruction"] = new JsonObject { ["lpips_weight"] = 1.0 },
            ["max_steps"] = 6,
            ["checkpoint"] = new JsonObject { ["every"] = 2, ["keep_last"] = 2 },
            ["logging"] = new JsonObject { ["plot_every"] = 2 },
            ["dtype"] = "fp32",
            ["device"] = "cpu",
        };
        edit?.Invoke(json);
        var path = Path.Combine(Root, output + ".json");
        File.WriteAllText(path, json.ToJsonString());
        ConfigPath = path;
        return TsdSrTrainingConfig.Load(path);
    }

    /// <summary>The file the last <see cref="Config"/> call wrote.</summary>
    public string? ConfigPath { get; private set; }

    public void Dispose() => TrainingTestSupport.DeleteDir(Root);
}
