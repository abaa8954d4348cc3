using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;

namespace TsdSr.Tests.Training;

/// <summary>Temporary folders and tiny models with adapters for the training tests.</summary>
internal static class TrainingTestSupport
{
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tsdsr-training-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void DeleteDir(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Small LoRA rank so that the tiny models stay tiny.</summary>
    public static LoraConfig SmallTransformerLora { get; } = LoraConfig.TsdSrTransformer with { Rank = 4, Alpha = 4 };

    /// <summary>The reference's attention-only fake-score LoRA, small rank.</summary>
    public static LoraConfig SmallFakeScoreLora { get; } = LoraConfig.TsdSrTransformer with
    {
        Rank = 4,
        Alpha = 4,
        TargetModules = ["to_k", "to_q", "to_v", "to_out.0", "add_q_proj", "add_k_proj", "add_v_proj"],
    };

    /// <summary>A tiny SD3 transformer with a student ("default") and a fake-score ("reg") adapter, deterministic.</summary>
    public static SD3Transformer2DModel TinyTransformer(long seed = 1, bool withFakeScore = true)
    {
        torch.manual_seed(seed);
        var model = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        LoraAdapters.Add(model, "default", SmallTransformerLora);
        if (withFakeScore)
        {
            LoraAdapters.Add(model, "reg", SmallFakeScoreLora, activate: false);
        }

        LoraAdapters.FreezeBase(model);
        return model;
    }

    /// <summary>Makes every lora_B non-zero so that adapters change the output (gaussian init leaves B at 0).</summary>
    public static void RandomizeAdapter(torch.nn.Module model, string adapter, long seed)
    {
        torch.manual_seed(seed);
        using var _ = torch.no_grad();
        foreach (var p in LoraAdapters.Parameters(model, adapter))
        {
            using var r = torch.randn_like(p).mul_(0.05);
            p.copy_(r);
        }
    }

    /// <summary>Inputs for the tiny transformer: latents [B,16,8,8], context [B,5,32], pooled [B,24], timestep [B].</summary>
    public static (Tensor Latents, Tensor Context, Tensor Pooled, Tensor Timestep) TinyInputs(int batch = 1, long seed = 7)
    {
        torch.manual_seed(seed);
        return (torch.randn(batch, 16, 8, 8), torch.randn(batch, 5, 32), torch.randn(batch, 24), torch.full(batch, 500f));
    }

    /// <summary>Same shape, same dtype and every element equal (no tolerance).</summary>
    public static bool ExactlyEqual(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype)
        {
            return false;
        }

        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }

    /// <summary>Walks up from the test binaries to the repository root (the folder with TsdSr.sln).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TsdSr.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TsdSr.sln not found above the test binaries.");
    }
}
