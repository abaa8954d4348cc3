using TorchSharp.Modules;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Precision;
using static TorchSharp.torch;

namespace TsdSr.Training.Adapters;

/// <summary>
/// One SD3 base with named adapters instead of the reference's two transformer copies (the official TSD-SR training script):
/// <list type="bullet">
/// <item><see cref="Student"/>: transformer LoRA (§2.3 targets) + VAE-encoder LoRA (§2.4), trained;</item>
/// <item><see cref="Teacher"/>: an optional frozen teacher LoRA; without it the teacher is the plain base;</item>
/// <item><see cref="FakeScore"/>: attention-only LoRA, trained; it runs over the base alone (base + fake score, not
/// teacher + fake score, as the reference).</item>
/// </list>
/// Only one adapter is active at a time; switch with <see cref="UseStudent"/>, <see cref="UseTeacher"/>,
/// <see cref="UseFakeScore"/>. Base weights are frozen and cast to the compute dtype; adapters stay fp32.
/// </summary>
public sealed class SharedBaseAdapters
{
    /// <summary>Adapter name of the student (transformer and VAE).</summary>
    public const string Student = "student";

    /// <summary>Adapter name of the teacher LoRA.</summary>
    public const string Teacher = "teacher";

    /// <summary>Adapter name of the fake-score LoRA.</summary>
    public const string FakeScore = "fake_score";

    /// <summary>The fake-score targets (attention projections only).</summary>
    public static IReadOnlyList<string> FakeScoreTargets { get; } = ["to_k", "to_q", "to_v", "to_out.0", "add_q_proj", "add_k_proj", "add_v_proj"];

    private SharedBaseAdapters(SD3Transformer2DModel transformer, AutoencoderKL vae, bool hasTeacher, ScalarType computeDtype)
    {
        Transformer = transformer;
        Vae = vae;
        HasTeacherLora = hasTeacher;
        ComputeDtype = computeDtype;
    }

    /// <summary>The shared transformer.</summary>
    public SD3Transformer2DModel Transformer { get; }

    /// <summary>The VAE (encoder carries the student adapter; the decoder is frozen).</summary>
    public AutoencoderKL Vae { get; }

    /// <summary>Whether a teacher LoRA was loaded.</summary>
    public bool HasTeacherLora { get; }

    /// <summary>Dtype of the frozen base weights.</summary>
    public ScalarType ComputeDtype { get; }

    /// <summary>
    /// Adds the adapters, freezes everything else and casts the base to <paramref name="computeDtype"/>.
    /// </summary>
    /// <param name="transformer">The base transformer (no adapters yet).</param>
    /// <param name="vae">The base VAE (no adapters yet).</param>
    /// <param name="ranks">LoRA ranks for new adapters.</param>
    /// <param name="computeDtype">Base-weight dtype (adapters stay fp32).</param>
    /// <param name="teacherLora">Teacher LoRA file (TSD-SR format), or null.</param>
    /// <param name="studentInit">Folder with <c>transformer.safetensors</c> / <c>vae.safetensors</c> to start the student from, or null.</param>
    /// <exception cref="LoraLoadException">A LoRA file does not fit the model.</exception>
    /// <exception cref="ArgumentException">An adapter already exists, or bad ranks.</exception>
    public static SharedBaseAdapters Attach(SD3Transformer2DModel transformer, AutoencoderKL vae, AdapterRanks ranks, ScalarType computeDtype,
        string? teacherLora = null, string? studentInit = null)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(ranks);
        ranks.Validate();
        var fp32 = new LoraLoadOptions { AdapterDType = ScalarType.Float32, Activate = false };
        if (studentInit is null)
        {
            LoraAdapters.Add(transformer, Student, LoraConfig.TsdSrTransformer with { Rank = ranks.Student, Alpha = ranks.Student }, activate: false, ScalarType.Float32);
            LoraAdapters.Add(vae, Student, LoraConfig.TsdSrVaeEncoder with { Rank = ranks.Vae, Alpha = ranks.Vae }, activate: false, ScalarType.Float32);
        }
        else
        {
            LoraFile.Load(transformer, Path.Combine(studentInit, StudentExport.TransformerFileName), Student, fp32);
            LoraFile.Load(vae, Path.Combine(studentInit, StudentExport.VaeFileName), Student, fp32);
        }

        if (teacherLora is not null)
        {
            LoraFile.Load(transformer, teacherLora, Teacher, fp32);
        }

        var fake = LoraConfig.TsdSrTransformer with { Rank = ranks.FakeScore, Alpha = ranks.FakeScore, TargetModules = FakeScoreTargets };
        LoraAdapters.Add(transformer, FakeScore, fake, activate: false, ScalarType.Float32);

        LoraAdapters.FreezeBase(transformer);
        LoraAdapters.FreezeBase(vae);
        MixedPrecision.CastBaseKeepAdaptersFp32(transformer, computeDtype);
        MixedPrecision.CastBaseKeepAdaptersFp32(vae, computeDtype);
        if (teacherLora is not null)
        {
            foreach (var p in LoraAdapters.Parameters(transformer, Teacher))
            {
                p.requires_grad = false;
            }
        }

        var set = new SharedBaseAdapters(transformer, vae, teacherLora is not null, computeDtype);
        LoraAdapters.SetActive(vae, Student);
        set.UseStudent();
        return set;
    }

    /// <summary>Transformer = base + student adapter.</summary>
    public void UseStudent() => LoraAdapters.SetActive(Transformer, Student);

    /// <summary>Transformer = base + teacher LoRA, or the plain base without one.</summary>
    public void UseTeacher()
    {
        if (HasTeacherLora)
        {
            LoraAdapters.SetActive(Transformer, Teacher);
        }
        else
        {
            LoraAdapters.SetActive(Transformer, Array.Empty<string>());
        }
    }

    /// <summary>Transformer = base + fake-score adapter.</summary>
    public void UseFakeScore() => LoraAdapters.SetActive(Transformer, FakeScore);

    /// <summary>The student's parameters: transformer adapter then VAE-encoder adapter (fetch after every cast).</summary>
    public IReadOnlyList<Parameter> StudentParameters() =>
        LoraAdapters.Parameters(Transformer, Student).Concat(LoraAdapters.Parameters(Vae, Student)).ToList();

    /// <summary>The fake-score parameters.</summary>
    public IReadOnlyList<Parameter> FakeScoreParameters() => LoraAdapters.Parameters(Transformer, FakeScore);

    /// <summary>The trainable adapters as checkpoint slots.</summary>
    public IReadOnlyList<AdapterSlot> CheckpointSlots() =>
    [
        new AdapterSlot("student_transformer", Transformer, Student),
        new AdapterSlot("student_vae", Vae, Student),
        new AdapterSlot("fake_score", Transformer, FakeScore),
    ];

    /// <summary>Writes the student in the upscaler's format (<see cref="StudentExport"/>).</summary>
    public void ExportStudent(string folder) => StudentExport.Save(folder, Transformer, Student, Vae, Student);
}
