using TsdSr.Core.Embeddings;
using TsdSr.Imaging;
using TsdSr.Losses.Scores;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Schedulers;
using TsdSr.Tests.TestSupport;
using TsdSr.Training.Adapters;
using TsdSr.Training.Data;
using TsdSr.Training.Loop;
using TsdSr.Training.Optimization;
using TsdSr.Training.Randomness;

namespace TsdSr.Tests.Training.Loop;

/// <summary>
/// The tiny fixture models (tsdsr_pipeline_tiny: transformer, VAE, the TSD-SR-format LoRA as the teacher, the tiny
/// default-prompt embeddings) on one shared base, and a <see cref="TrainingStep"/> over them.
/// </summary>
internal sealed class LoopTestSetup : IDisposable
{
    private readonly PromptEmbeddings prompt;
    private readonly PromptEmbeddings nullPrompt;

    private LoopTestSetup(TrainingStepOptions options, double studentLr, double fakeLr, ulong seed)
    {
        torch.manual_seed(1234);
        var root = FixturePaths.Get("tsdsr_pipeline_tiny");
        var transformer = SD3Transformer2DModel.FromPretrained(Path.Combine(root, "transformer"));
        var vae = AutoencoderKL.FromPretrained(Path.Combine(root, "vae"));
        Models = SharedBaseAdapters.Attach(transformer, vae, new AdapterRanks(4, 4, 4), ScalarType.Float32,
            teacherLora: Path.Combine(root, "lora", "transformer.safetensors"));
        using (var loaded = TsdSr.Core.Embeddings.PromptEmbeddingsLoader.Load(Path.Combine(root, "embeddings", "embeddings.safetensors")))
        {
            prompt = new PromptEmbeddings(loaded.PromptEmbeds.clone(), loaded.PooledPromptEmbeds.clone());
        }

        nullPrompt = new PromptEmbeddings(torch.zeros_like(prompt.PromptEmbeds), torch.zeros_like(prompt.PooledPromptEmbeds));
        Generator = new SeededGenerator(seed);
        StudentOptimizer = new TrainingOptimizer("student", Models.StudentParameters(), AdamWSettings.Student with { LearningRate = studentLr });
        FakeOptimizer = new TrainingOptimizer("fake_score", Models.FakeScoreParameters(), AdamWSettings.FakeScore with { LearningRate = fakeLr });
        var scheduler = new FlowMatchEulerDiscreteScheduler(new FlowMatchEulerDiscreteSchedulerConfig { Shift = 3.0 });
        TsdSr.Losses.Reconstruction.IPerceptualLoss? perceptual = options.PerceptualWeight > 0 ? new PixelL1Loss() : null;
        Step = new TrainingStep(Models, scheduler, prompt, nullPrompt, perceptual, Generator, options, StudentOptimizer, FakeOptimizer);
    }

    public SharedBaseAdapters Models { get; }

    /// <summary>The tiny default prompt (the student's).</summary>
    public PromptEmbeddings Prompt => prompt;

    public SeededGenerator Generator { get; }

    public TrainingOptimizer StudentOptimizer { get; }

    public TrainingOptimizer FakeOptimizer { get; }

    public TrainingStep Step { get; }

    public static LoopTestSetup Create(TrainingStepOptions? options = null, double studentLr = 5e-6, double fakeLr = 1e-6, ulong seed = 43) =>
        new(options ?? TrainingStepOptions.Reference, studentLr, fakeLr, seed);

    /// <summary>A batch of random images in [0, 1]: HR [B,3,64,64] and a blurred LR of the same size.</summary>
    public static TrainingBatch RandomBatch(int batch = 2, long seed = 5)
    {
        using var scope = torch.NewDisposeScope();
        using var gen = new torch.Generator((ulong)seed);
        var hr = torch.rand([batch, 3, 64, 64], generator: gen);
        var lr = Degrade(hr);
        return new TrainingBatch(hr.MoveToOuterDisposeScope(), lr.MoveToOuterDisposeScope(), null, null, null,
            Enumerable.Range(0, batch).Select(i => $"random#{i}").ToList());
    }

    /// <summary>
    /// HR = the first <paramref name="count"/> realsr_subset photos area-downsampled 512 → 64; LR = bicubic ×4 down and
    /// back up (values in [0, 1]).
    /// </summary>
    public static (Tensor Hr, Tensor Lr) RealImages(int count)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "data", "realsr_subset", "hr");
        var files = Directory.GetFiles(dir, "*.png").OrderBy(f => f, StringComparer.Ordinal).Take(count).ToList();
        using var scope = torch.NewDisposeScope();
        var images = files.Select(f => torch.nn.functional.adaptive_avg_pool2d(ImageTensors.ToTensor(ImageCodec.Load(f)), [64, 64])).ToList();
        var hr = torch.cat(images, 0);
        return (hr.MoveToOuterDisposeScope(), Degrade(hr).MoveToOuterDisposeScope());
    }

    /// <summary>Bicubic down ×4 and back up, clamped to [0, 1].</summary>
    public static Tensor Degrade(Tensor hr)
    {
        using var scope = torch.NewDisposeScope();
        long h = hr.shape[2], w = hr.shape[3];
        var small = torch.nn.functional.interpolate(hr, [h / 4, w / 4], mode: torch.InterpolationMode.Bicubic, align_corners: false);
        var up = torch.nn.functional.interpolate(small, [h, w], mode: torch.InterpolationMode.Bicubic, align_corners: false);
        return up.clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference's offline <c>latent_hr</c>: 1.5305 · posterior of the plain VAE (adapters disabled) on HR in [−1, 1];
    /// the posterior mean here, so the precomputed latents are deterministic.
    /// </summary>
    public Tensor PlainLatents(Tensor hr)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        LoraAdapters.Disable(Models.Vae);
        try
        {
            using var posterior = Models.Vae.Encode(hr.mul(2.0).sub(1.0));
            return posterior.Mode().mul(Models.Vae.ScalingFactor).MoveToOuterDisposeScope();
        }
        finally
        {
            LoraAdapters.Enable(Models.Vae);
        }
    }

    /// <summary>Copies of every parameter of the transformer and the VAE, keyed "transformer:name" / "vae:name".</summary>
    public Dictionary<string, Tensor> Snapshot()
    {
        var snap = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in Models.Transformer.named_parameters())
        {
            snap["transformer:" + name] = p.detach().clone();
        }

        foreach (var (name, p) in Models.Vae.named_parameters())
        {
            snap["vae:" + name] = p.detach().clone();
        }

        return snap;
    }

    /// <summary>The keys of the parameters that differ (bit for bit) from the snapshot; disposes the snapshot.</summary>
    public List<string> ChangedSince(Dictionary<string, Tensor> snapshot)
    {
        var now = Models.Transformer.named_parameters().Select(p => ("transformer:" + p.name, p.parameter))
            .Concat(Models.Vae.named_parameters().Select(p => ("vae:" + p.name, p.parameter)));
        var changed = new List<string>();
        foreach (var (key, p) in now)
        {
            using var detached = p.detach();
            if (!TrainingTestSupport.ExactlyEqual(snapshot[key], detached))
            {
                changed.Add(key);
            }
        }

        foreach (var t in snapshot.Values)
        {
            t.Dispose();
        }

        return changed;
    }

    public void Dispose()
    {
        Step.Dispose();
        StudentOptimizer.Dispose();
        FakeOptimizer.Dispose();
        Generator.Dispose();
        prompt.Dispose();
        nullPrompt.Dispose();
        Models.Transformer.Dispose();
        Models.Vae.Dispose();
    }
}
