using TorchSharp;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Training.Precision;

/// <summary>
/// Explicit mixed precision (TorchSharp has no autocast): frozen base weights in the compute dtype (bf16 / fp16),
/// LoRA parameters kept as fp32 master weights (the reference's <c>cast_training_params</c>). <see cref="LoraLayer"/>
/// casts its input to the adapter dtype and the adapter output back to the base output's dtype, so gradients reach
/// the fp32 parameters directly; model inputs go in with <see cref="ToCompute"/> and outputs come back with
/// <see cref="ToMaster"/>.
/// </summary>
public static class MixedPrecision
{
    /// <summary>
    /// Casts the whole model to <paramref name="computeDtype"/>, then every adapter back to fp32. Parameters are
    /// replaced by the casts: fetch them (for optimisers) afterwards.
    /// </summary>
    public static void CastBaseKeepAdaptersFp32(nn.Module model, ScalarType computeDtype)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!is_floating_point(computeDtype))
        {
            throw new ArgumentException($"The compute dtype must be floating point, got {computeDtype}.", nameof(computeDtype));
        }

        model.to(computeDtype);
        foreach (var (_, layer) in LoraAdapters.Layers(model))
        {
            foreach (var adapter in layer.AdapterNames)
            {
                layer.AdapterA(adapter).to(ScalarType.Float32);
                layer.AdapterB(adapter).to(ScalarType.Float32);
            }
        }
    }

    /// <summary>The tensor in the compute dtype (a new tensor, or a new handle when it already is).</summary>
    public static Tensor ToCompute(Tensor tensor, ScalarType computeDtype)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.to(computeDtype);
    }

    /// <summary>The tensor in fp32 for losses and optimiser arithmetic.</summary>
    public static Tensor ToMaster(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.to(ScalarType.Float32);
    }

    /// <summary>
    /// Checks the layout: every LoRA parameter is fp32 and every other floating parameter is <paramref name="computeDtype"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some parameter has another dtype; the message names the first few.</exception>
    public static void Verify(nn.Module model, ScalarType computeDtype)
    {
        ArgumentNullException.ThrowIfNull(model);
        var wrong = new List<string>();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.is_floating_point())
            {
                continue;
            }

            var expected = LoraAdapters.IsLoraParameterName(name) ? ScalarType.Float32 : computeDtype;
            if (p.dtype != expected)
            {
                wrong.Add($"{name} is {p.dtype}, expected {expected}");
            }
        }

        if (wrong.Count > 0)
        {
            throw new InvalidOperationException($"{wrong.Count} parameter(s) have the wrong dtype: {string.Join("; ", wrong.Take(5))}{(wrong.Count > 5 ? "; ..." : string.Empty)}.");
        }
    }
}
