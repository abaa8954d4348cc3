using TorchSharp;
using TorchSharp.Modules;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Training.Optimization;

/// <summary>Collects the trainable parameters of named adapters for an optimiser (student: transformer + VAE adapters).</summary>
public static class AdapterParameters
{
    /// <summary>The parameters of each (model, adapter) pair, in order; each must exist.</summary>
    /// <exception cref="ArgumentException">An adapter exists on no layer of its model.</exception>
    public static IReadOnlyList<Parameter> Collect(params (nn.Module Model, string Adapter)[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return sources.SelectMany(s => LoraAdapters.Parameters(s.Model, s.Adapter)).ToList();
    }

    /// <summary>Sets requires_grad on every parameter of an adapter (freeze the teacher, train the student).</summary>
    public static void SetTrainable(nn.Module model, string adapter, bool trainable)
    {
        foreach (var p in LoraAdapters.Parameters(model, adapter))
        {
            p.requires_grad = trainable;
        }
    }
}
