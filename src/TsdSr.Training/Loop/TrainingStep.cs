using System.Diagnostics;
using TsdSr.Core.Embeddings;
using TsdSr.Losses;
using TsdSr.Losses.Distillation;
using TsdSr.Losses.FakeScore;
using TsdSr.Losses.Reconstruction;
using TsdSr.Losses.Scores;
using TsdSr.Models.Lora;
using TsdSr.Schedulers;
using TsdSr.Training.Adapters;
using TsdSr.Training.Data;
using TsdSr.Training.Optimization;
using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Training.Loop;

/// <summary>
/// One TSD-SR training iteration in the reference's order (the official TSD-SR training script): encode LR with the student VAE LoRA,
/// student velocity at t = 1000, ẑ = z_L − v, TSD gradient from the guided teacher and fake score, data loss on the
/// decoded ẑ, student update (clip, AdamW, schedule, zero grad), then the fake-score update on the detached ẑ. All
/// tensors of a step live in one dispose scope that ends with <see cref="Run"/>; the result holds plain numbers.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    /// <summary><see cref="Observer"/> name of z_L = scaling·sample(E_student(lr)).</summary>
    public const string ObservedLrLatent = "z_lr";

    /// <summary><see cref="Observer"/> name of z_H.</summary>
    public const string ObservedHrLatent = "z_hr";

    /// <summary><see cref="Observer"/> name of ẑ (attached to the student's graph).</summary>
    public const string ObservedStudentLatent = "z_hat";

    /// <summary><see cref="Observer"/> name of the combined TSD gradient (before the 1/numel factor).</summary>
    public const string ObservedTsdGradient = "tsd_grad";

    /// <summary><see cref="Observer"/> name of ∂L/∂ẑ after the student backward.</summary>
    public const string ObservedStudentLatentGrad = "z_hat_grad";

    private readonly bool ownsStudentOptimizer;
    private readonly bool ownsFakeScoreOptimizer;
    private readonly PromptEmbeddings studentPrompt;
    private readonly PromptEmbeddings nullPrompt;
    private readonly TargetScoreDistillation distillation;
    private readonly FakeScoreDiffusionLoss fakeScoreLoss;
    private readonly Dictionary<double, ReconstructionLoss> reconstructionByMseWeight = [];
    private readonly LoraLayer[] transformerLayers;
    private readonly LoraLayer[] vaeLayers;

    /// <summary>Creates the step. Build it outside any dispose scope (it keeps device copies of the prompts and the optimisers' state).</summary>
    /// <param name="models">The shared base with the student, teacher and fake-score adapters.</param>
    /// <param name="scheduler">The flow-matching schedule (shift 3 for SD3) whose training view maps indices to σ.</param>
    /// <param name="studentPrompt">The default prompt the student always uses; also the teacher's when a batch has no embeddings.</param>
    /// <param name="nullPrompt">The unconditional embeddings for classifier-free guidance.</param>
    /// <param name="perceptual">The perceptual distance (LPIPS), or null when <see cref="TrainingStepOptions.PerceptualWeight"/> is 0.</param>
    /// <param name="generator">Seeded source of every random draw of the step (posterior samples, indices, noise).</param>
    /// <param name="options">Loss settings; null = the reference.</param>
    /// <param name="studentOptimizer">The student optimiser (over <see cref="SharedBaseAdapters.StudentParameters"/>), or null for AdamW lr 5e-6, wd 1e-4, clip 1.0.</param>
    /// <param name="fakeScoreOptimizer">The fake-score optimiser, or null for AdamW lr 1e-6, wd 1e-4, clip 1.0.</param>
    /// <exception cref="ArgumentException">Invalid options, or a perceptual weight without a perceptual loss.</exception>
    public TrainingStep(SharedBaseAdapters models, FlowMatchEulerDiscreteScheduler scheduler, PromptEmbeddings studentPrompt,
        PromptEmbeddings nullPrompt, IPerceptualLoss? perceptual, SeededGenerator generator, TrainingStepOptions? options = null,
        TrainingOptimizer? studentOptimizer = null, TrainingOptimizer? fakeScoreOptimizer = null)
    {
        Models = models ?? throw new ArgumentNullException(nameof(models));
        Scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        Generator = generator ?? throw new ArgumentNullException(nameof(generator));
        ArgumentNullException.ThrowIfNull(studentPrompt);
        ArgumentNullException.ThrowIfNull(nullPrompt);
        Options = options ?? TrainingStepOptions.Reference;
        Options.Validate();
        if (perceptual is null && Options.PerceptualWeight > 0)
        {
            throw new ArgumentException($"PerceptualWeight is {Options.PerceptualWeight} but no perceptual loss was given.", nameof(perceptual));
        }

        Perceptual = perceptual;
        Device = models.Transformer.parameters().First().device;
        // The module trees do not change after construction; walking them once keeps adapter switches cheap per step.
        transformerLayers = LoraAdapters.Layers(models.Transformer).Select(l => l.Layer).ToArray();
        vaeLayers = LoraAdapters.Layers(models.Vae).Select(l => l.Layer).ToArray();
        this.studentPrompt = OnDevice(studentPrompt, Device);
        this.nullPrompt = OnDevice(nullPrompt, Device);
        ScalarType? compute = models.ComputeDtype == ScalarType.Float32 ? null : models.ComputeDtype;
        var teacher = AdapterScoreModel.Teacher(models.Transformer, models.HasTeacherLora ? SharedBaseAdapters.Teacher : null, compute);
        var fake = AdapterScoreModel.FakeScore(models.Transformer, SharedBaseAdapters.FakeScore, compute);
        distillation = new TargetScoreDistillation(
            new GuidedScoreModel(teacher, this.nullPrompt, Options.Guidance),
            new GuidedScoreModel(fake, this.nullPrompt, Options.Guidance),
            scheduler,
            Options.Distillation);
        fakeScoreLoss = new FakeScoreDiffusionLoss(fake, scheduler, Options.FakeScore);

        ownsStudentOptimizer = studentOptimizer is null;
        ownsFakeScoreOptimizer = fakeScoreOptimizer is null;
        StudentOptimizer = studentOptimizer ?? new TrainingOptimizer("student", models.StudentParameters(), AdamWSettings.Student);
        FakeScoreOptimizer = fakeScoreOptimizer ?? new TrainingOptimizer("fake_score", models.FakeScoreParameters(), AdamWSettings.FakeScore);
    }

    /// <summary>The shared-base models.</summary>
    public SharedBaseAdapters Models { get; }

    /// <summary>The schedule.</summary>
    public FlowMatchEulerDiscreteScheduler Scheduler { get; }

    /// <summary>The step's random source.</summary>
    public SeededGenerator Generator { get; }

    /// <summary>The loss settings.</summary>
    public TrainingStepOptions Options { get; }

    /// <summary>The perceptual distance, if any.</summary>
    public IPerceptualLoss? Perceptual { get; }

    /// <summary>Device of the models (batches are moved there).</summary>
    public Device Device { get; }

    /// <summary>The student optimiser (transformer LoRA + VAE-encoder LoRA).</summary>
    public TrainingOptimizer StudentOptimizer { get; }

    /// <summary>The fake-score optimiser.</summary>
    public TrainingOptimizer FakeScoreOptimizer { get; }

    /// <summary>
    /// Optional diagnostics hook called with the <c>Observed*</c> names and tensors (valid only during the call). The call
    /// runs inside the step's dispose scope: keep a copy with <c>t.detach().clone().DetachFromDisposeScope()</c>. With an
    /// observer set, ẑ retains its gradient so that <see cref="ObservedStudentLatentGrad"/> can be reported.
    /// </summary>
    public Action<string, Tensor>? Observer { get; set; }

    /// <summary>Runs one iteration on <paramref name="batch"/> (not disposed here).</summary>
    /// <param name="batch">LR and HR images in [0, 1] (mapped to [−1, 1] here), optional z_H and per-image embeddings.</param>
    /// <param name="step">The 0-based global step (for γ and logs).</param>
    /// <param name="recipe">What this step computes and updates; null = <see cref="StepRecipe.Reference"/>.</param>
    /// <returns>The losses, norms, learning rates and timings.</returns>
    /// <exception cref="ArgumentException">The batch does not fit the models, or the recipe is invalid.</exception>
    /// <exception cref="InvalidOperationException">The student loss has no gradient (no term is active).</exception>
    public TrainingStepResult Run(TrainingBatch batch, long step, StepRecipe? recipe = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        recipe ??= StepRecipe.Reference;
        recipe.Validate();
        var total = Stopwatch.StartNew();
        var phase = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        long b = batch.Count;
        double scaling = Models.Vae.ScalingFactor;
        var lr = ToModelRange(batch.LrBicubic, Device);
        var hr = ToModelRange(batch.Gt, Device);
        var teacherPrompt = TeacherPrompt(batch);
        double gamma = Options.Gamma.At(step);
        bool distill = recipe.UpdateStudent && recipe.Distillation && gamma > 0;

        Tensor zL, zH, zHat;
        TimeSpan encodeTime, studentTime;
        using (enable_grad(recipe.UpdateStudent))
        {
            // 1. z_L = s·sample(E_student(lr)); z_H precomputed, or s·sample(E_plain(hr)) without grad.
            ActivateStudent(vaeLayers);
            using (var posterior = Models.Vae.Encode(lr))
            {
                zL = posterior.Sample(Generator.Generator).to(ScalarType.Float32).mul(scaling);
            }

            zH = batch.LatentHr is { } latentHr ? latentHr.to(ScalarType.Float32, Device) : EncodePlain(hr, scaling);
            CheckLatents(zL, zH);
            encodeTime = Lap(phase);

            // 2. v = student(z_L, t = 1000, default prompt); ẑ = z_L − σ(1000)·v = z_L − v.
            ActivateStudent(transformerLayers);
            var (p, q) = studentPrompt.ForBatch(b);
            var t = full([b], Options.StudentTimestep, ScalarType.Float32, Device);
            var dtype = Models.ComputeDtype;
            var v = Models.Transformer.forward(zL.to(dtype), p.to(dtype), q.to(dtype), t).to(ScalarType.Float32);
            zHat = zL.sub(v);
            if (Observer is not null && recipe.UpdateStudent)
            {
                zHat.retain_grad();
            }

            studentTime = Lap(phase);
        }

        Observe(ObservedLrLatent, zL);
        Observe(ObservedHrLatent, zH);
        Observe(ObservedStudentLatent, zHat);

        // 3–6. TSD: noise ẑ and z_H with the same ε at σ_idx; score differences under no_grad; surrogate loss.
        TsdLossResult? tsd = null;
        long[] teacherIndices = [];
        int subSteps = 0;
        if (distill)
        {
            var idx = Generator.RandInt(Options.TeacherIndexMin, Options.TeacherIndexMax, b);
            teacherIndices = idx.data<long>().ToArray();
            var eps = Generator.RandN(zHat.shape).to(Device);
            if (recipe.SubSteps is { } planner)
            {
                var plan = planner.Plan(idx, Scheduler, Device);
                subSteps = plan.Count;
                var sigma = Scheduler.TrainSigmasAt(idx).to(Device);
                tsd = distillation.Compute(zHat, zH, eps, sigma, plan, teacherPrompt);
            }
            else
            {
                subSteps = 1;
                tsd = distillation.Compute(zHat, zH, eps, idx, teacherPrompt);
            }

            Observe(ObservedTsdGradient, tsd.Gradients.Combined);
        }

        var distillationTime = Lap(phase);

        // 7–8. Data loss: perceptual on clamp(D(ẑ / s)) against HR (frozen decoder, gradient flows to ẑ) + latent MSE.
        Tensor recTotal, latentMse;
        Tensor? perceptual;
        using (enable_grad(recipe.UpdateStudent))
        {
            (recTotal, latentMse, perceptual) = Reconstruct(zHat, zH, hr, scaling, recipe.LatentMseWeight);
        }

        var reconstructionTime = Lap(phase);

        // 9. Student update: L = L_rec + γ·L_tsd → backward → clip → AdamW → schedule → zero grad.
        double? studentLoss = null, studentNorm = null;
        double studentLr = StudentOptimizer.CurrentLearningRate;
        if (recipe.UpdateStudent)
        {
            var loss = StudentLoss.Combine(recTotal, tsd?.Loss, gamma);
            if (!loss.requires_grad)
            {
                throw new InvalidOperationException("The student loss has no gradient: every reconstruction weight is 0 and distillation is off.");
            }

            loss.backward();
            if (Observer is not null && zHat.grad is { } g)
            {
                Observe(ObservedStudentLatentGrad, g);
            }

            studentLoss = loss.item<float>();
            studentNorm = StudentOptimizer.Step();
        }

        var studentUpdateTime = Lap(phase);

        // 10. Fake-score update on sg(ẑ): x_t = σ'·ε' + (1 − σ')·ẑ, no CFG, own clipping and optimiser.
        double? fakeLoss = null, fakeNorm = null;
        double fakeLr = FakeScoreOptimizer.CurrentLearningRate;
        if (recipe.UpdateFakeScore)
        {
            var (fakeIdx, weights) = fakeScoreLoss.Sample(b, Generator.Generator);
            var eps = Generator.RandN(zHat.shape).to(Device);
            var lossF = fakeScoreLoss.Compute(zHat.detach(), eps, fakeIdx, weights, teacherPrompt);
            lossF.backward();
            fakeLoss = lossF.item<float>();
            fakeNorm = FakeScoreOptimizer.Step();
        }

        var fakeTime = Lap(phase);
        var timings = new TrainingStepTimings(encodeTime, studentTime, distillationTime, reconstructionTime, studentUpdateTime, fakeTime, total.Elapsed);
        var gradients = tsd?.Gradients;
        return new TrainingStepResult(
            step,
            studentLoss,
            recTotal.item<float>(),
            latentMse.item<float>(),
            perceptual?.item<float>(),
            tsd?.Loss.item<float>(),
            gamma,
            gradients is null ? null : gradients.Combined.square().mean().sqrt().item<float>(),
            gradients?.NonFiniteCount ?? 0,
            subSteps,
            teacherIndices,
            fakeLoss,
            studentNorm,
            fakeNorm,
            studentLr,
            fakeLr,
            timings);
    }

    /// <summary>Disposes the device copies of the prompts and the optimisers this step created.</summary>
    public void Dispose()
    {
        studentPrompt.Dispose();
        nullPrompt.Dispose();
        if (ownsStudentOptimizer)
        {
            StudentOptimizer.Dispose();
        }

        if (ownsFakeScoreOptimizer)
        {
            FakeScoreOptimizer.Dispose();
        }
    }

    private (Tensor Total, Tensor LatentMse, Tensor? Perceptual) Reconstruct(Tensor zHat, Tensor zH, Tensor hr, double scaling, double mseWeight)
    {
        double pw = Options.PerceptualWeight;
        if (pw == 0 && mseWeight == 0)
        {
            // Distillation-only objective (wiring checks): no data term, the MSE is still logged.
            using (no_grad())
            {
                var mse = nn.functional.mse_loss(zHat.detach().to(ScalarType.Float32), zH.to(ScalarType.Float32), nn.Reduction.Mean);
                return (zeros([], ScalarType.Float32, Device), mse, null);
            }
        }

        var decoded = pw > 0 ? Models.Vae.Decode(zHat.div(scaling)).to(ScalarType.Float32) : null;
        var loss = ReconstructionFor(mseWeight);
        var result = loss.Compute(zHat, zH, decoded, pw > 0 ? hr : null);
        return (result.Total, result.LatentMse, result.Perceptual);
    }

    private ReconstructionLoss ReconstructionFor(double mseWeight)
    {
        if (!reconstructionByMseWeight.TryGetValue(mseWeight, out var loss))
        {
            loss = new ReconstructionLoss(Perceptual, new ReconstructionLossOptions { LatentMseWeight = mseWeight, PerceptualWeight = Options.PerceptualWeight });
            reconstructionByMseWeight[mseWeight] = loss;
        }

        return loss;
    }

    private Tensor EncodePlain(Tensor hr, double scaling)
    {
        // The reference's latent_hr: the plain VAE (no LoRA), no grad, a posterior sample, no shift.
        using var noGrad = no_grad();
        SetEnabled(vaeLayers, false);
        try
        {
            using var posterior = Models.Vae.Encode(hr);
            return posterior.Sample(Generator.Generator).to(ScalarType.Float32).mul(scaling);
        }
        finally
        {
            SetEnabled(vaeLayers, true);
        }
    }

    private PromptEmbeddings TeacherPrompt(TrainingBatch batch)
    {
        // The reference conditions teacher and fake score on the per-image prompt; the student always gets the default.
        if (batch.PromptEmbeds is null || batch.PoolEmbeds is null)
        {
            return studentPrompt;
        }

        return new PromptEmbeddings(batch.PromptEmbeds.to(ScalarType.Float32, Device), batch.PoolEmbeds.to(ScalarType.Float32, Device), "the batch");
    }

    private static void ActivateStudent(LoraLayer[] layers)
    {
        // Only the student adapter, enabled: teacher and fake-score views switch per call and restore this state.
        string[] student = [SharedBaseAdapters.Student];
        string[] none = [];
        foreach (var layer in layers)
        {
            layer.SetActiveAdapters(layer.HasAdapter(SharedBaseAdapters.Student) ? student : none);
            layer.SetAdaptersEnabled(true);
        }
    }

    private static void SetEnabled(LoraLayer[] layers, bool enabled)
    {
        foreach (var layer in layers)
        {
            layer.SetAdaptersEnabled(enabled);
        }
    }

    private void Observe(string name, Tensor t) => Observer?.Invoke(name, t);

    private static void CheckLatents(Tensor zL, Tensor zH)
    {
        if (!zL.shape.SequenceEqual(zH.shape))
        {
            throw new ArgumentException(
                $"The HR latent [{string.Join(", ", zH.shape)}] does not match the LR latent [{string.Join(", ", zL.shape)}]; LR and HR images must have the same size.");
        }
    }

    private static Tensor ToModelRange(Tensor image, Device device)
    {
        if (image.dim() != 4 || image.shape[1] != 3)
        {
            throw new ArgumentException($"Images must be [B, 3, H, W] in [0, 1], got [{string.Join(", ", image.shape)}].", nameof(image));
        }

        return image.to(ScalarType.Float32, device).mul(2.0).sub(1.0);
    }

    private static PromptEmbeddings OnDevice(PromptEmbeddings prompt, Device device)
    {
        using var scope = NewDisposeScope();
        var p = prompt.PromptEmbeds.detach().to(ScalarType.Float32, device).clone();
        var q = prompt.PooledPromptEmbeds.detach().to(ScalarType.Float32, device).clone();
        return new PromptEmbeddings(p.MoveToOuterDisposeScope(), q.MoveToOuterDisposeScope(), prompt.Source);
    }

    private static TimeSpan Lap(Stopwatch watch)
    {
        var elapsed = watch.Elapsed;
        watch.Restart();
        return elapsed;
    }
}
