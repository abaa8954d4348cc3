using TsdSr.Models.Lora;

namespace TsdSr.Losses.Scores;

/// <summary>
/// Captures every LoRA layer's active adapters and enabled flag and puts them back on <see cref="Dispose"/>, so a
/// temporary adapter switch (teacher, fake score) never leaks into the caller's model state, even on exceptions.
/// </summary>
public sealed class AdapterStateScope : IDisposable
{
    private readonly List<(LoraLayer Layer, string[] Active, bool Enabled)> saved;
    private bool disposed;

    private AdapterStateScope(IEnumerable<LoraLayer> layers)
    {
        saved = layers.Select(l => (l, l.ActiveAdapters.ToArray(), l.AdaptersEnabled)).ToList();
    }

    /// <summary>Records the current adapter state of <paramref name="model"/>.</summary>
    public static AdapterStateScope Capture(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new AdapterStateScope(LoraAdapters.Layers(model).Select(l => l.Layer));
    }

    /// <summary>Records the current adapter state of these layers (callers that cache a model's layers skip the module walk).</summary>
    public static AdapterStateScope Capture(IEnumerable<LoraLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return new AdapterStateScope(layers);
    }

    /// <summary>Restores the recorded state (once).</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var (layer, active, enabled) in saved)
        {
            layer.SetActiveAdapters(active);
            layer.SetAdaptersEnabled(enabled);
        }
    }
}
