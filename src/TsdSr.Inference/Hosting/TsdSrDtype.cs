namespace TsdSr.Inference.Hosting;

/// <summary>Floating-point type a model component runs in. Configuration binds the lower-case names (<c>fp32</c>, <c>bf16</c>, <c>fp16</c>).</summary>
public enum TsdSrDtype
{
    /// <summary>fp32 on the CPU (portable, the reference's numbers); fp16 on CUDA (the reference's <c>--mixed_precision</c> default).</summary>
    Auto,

    /// <summary>32-bit float.</summary>
    Fp32,

    /// <summary>bfloat16: fast on CUDA and on CPUs with AVX512-BF16/AMX, very slow on AVX2-only CPUs.</summary>
    Bf16,

    /// <summary>IEEE half precision.</summary>
    Fp16,
}
