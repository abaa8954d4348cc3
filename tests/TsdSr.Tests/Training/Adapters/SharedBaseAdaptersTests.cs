using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Training.Adapters;

namespace TsdSr.Tests.Training.Adapters;

public sealed class SharedBaseAdaptersTests : IDisposable
{
    private readonly string dir = TrainingTestSupport.TempDir();

    private static (SD3Transformer2DModel, AutoencoderKL) Base(long seed)
    {
        torch.manual_seed(seed);
        return (new SD3Transformer2DModel(SD3TransformerConfig.Tiny), new AutoencoderKL(AutoencoderKLConfig.Tiny));
    }

    private static Tensor Run(SD3Transformer2DModel t)
    {
        var (x, c, pooled, ts) = TrainingTestSupport.TinyInputs();
        using (x)
        using (c)
        using (pooled)
        using (ts)
        using (no_grad())
        {
            return t.forward(x, c, pooled, ts);
        }
    }

    [Fact]
    public void Three_roles_share_one_base_and_switch_by_active_adapter()
    {
        var (t, v) = Base(1);
        using var ownedT = t;
        using var ownedV = v;
        using var plain = Run(t);
        var set = SharedBaseAdapters.Attach(t, v, new AdapterRanks(2, 2, 2), ScalarType.Float32);
        TrainingTestSupport.RandomizeAdapter(t, SharedBaseAdapters.Student, 2);
        TrainingTestSupport.RandomizeAdapter(t, SharedBaseAdapters.FakeScore, 3);

        set.UseTeacher();
        using var teacher = Run(t);
        set.UseStudent();
        using var student = Run(t);
        set.UseFakeScore();
        using var fake = Run(t);

        TrainingTestSupport.ExactlyEqual(teacher, plain).Should().BeTrue("without a teacher LoRA the teacher is the plain base");
        TrainingTestSupport.ExactlyEqual(student, plain).Should().BeFalse();
        TrainingTestSupport.ExactlyEqual(fake, plain).Should().BeFalse();
        TrainingTestSupport.ExactlyEqual(fake, student).Should().BeFalse();

        var studentHandles = set.StudentParameters().Select(p => p.Handle).ToHashSet();
        set.FakeScoreParameters().Should().NotContain(p => studentHandles.Contains(p.Handle));
        set.StudentParameters().Should().Contain(p => LoraAdapters.Parameters(v, SharedBaseAdapters.Student).Any(q => q.Handle == p.Handle));
        LoraAdapters.LayersWith(t, SharedBaseAdapters.FakeScore).Should().OnlyContain(n => n.Contains(".attn.", StringComparison.Ordinal));
        t.named_parameters().Where(p => p.parameter.requires_grad).Should().OnlyContain(p => LoraAdapters.IsLoraParameterName(p.name));
    }

    [Fact]
    public void Teacher_and_student_init_load_from_tsdsr_files_and_the_teacher_is_frozen()
    {
        var (t0, v0) = Base(1);
        using (t0)
        using (v0)
        {
            var src = SharedBaseAdapters.Attach(t0, v0, new AdapterRanks(2, 2, 2), ScalarType.Float32);
            TrainingTestSupport.RandomizeAdapter(t0, SharedBaseAdapters.Student, 5);
            TrainingTestSupport.RandomizeAdapter(v0, SharedBaseAdapters.Student, 6);
            src.ExportStudent(dir);
        }

        var (t, v) = Base(1);
        using var ownedT = t;
        using var ownedV = v;
        var set = SharedBaseAdapters.Attach(t, v, new AdapterRanks(2, 2, 2), ScalarType.Float32,
            teacherLora: Path.Combine(dir, "transformer.safetensors"), studentInit: dir);
        set.HasTeacherLora.Should().BeTrue();
        set.UseTeacher();
        using var teacher = Run(t);
        set.UseStudent();
        using var student = Run(t);
        TrainingTestSupport.ExactlyEqual(teacher, student).Should().BeTrue("both adapters came from the same exported student");
        LoraAdapters.Parameters(t, SharedBaseAdapters.Teacher).Should().OnlyContain(p => !p.requires_grad);
        set.StudentParameters().Should().OnlyContain(p => p.requires_grad);
    }

    [Fact]
    public void A_bf16_base_keeps_every_adapter_fp32()
    {
        var (t, v) = Base(1);
        using var ownedT = t;
        using var ownedV = v;
        SharedBaseAdapters.Attach(t, v, new AdapterRanks(2, 2, 2), ScalarType.BFloat16);
        TsdSr.Training.Precision.MixedPrecision.Verify(t, ScalarType.BFloat16);
        TsdSr.Training.Precision.MixedPrecision.Verify(v, ScalarType.BFloat16);
    }

    public void Dispose() => TrainingTestSupport.DeleteDir(dir);
}
