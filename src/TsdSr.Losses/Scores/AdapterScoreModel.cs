using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;

namespace TsdSr.Losses.Scores;

/// <summary>
/// One view of a shared SD3 transformer: the base plus an explicit set of named adapters. Each call activates exactly
/// that set (an empty set runs the base alone) and restores the model's previous adapter state afterwards, so teacher,
/// fake score and student can live as adapters on one base (never several copies of the 2B weights).
/// </summary>
public sealed class AdapterScoreModel : IScoreModel
{
    private readonly LoraLayer[] layers;

    /// <summary>Creates the view; it does not own <paramref name="model"/>.</summary>
    /// <param name="model">The shared transformer.</param>
    /// <param name="adapters">Adapters active during a call; empty = base model only.</param>
    /// <param name="computeDtype">
    /// Dtype the latent and embeddings are cast to before the forward pass (e.g. bf16 for a bf16 base; TorchSharp has
    /// no autocast), or null to pass them unchanged. The velocity is cast back to the latent's dtype.
    /// </param>
    /// <exception cref="ArgumentException">An adapter does not exist on the model.</exception>
    public AdapterScoreModel(SD3Transformer2DModel model, IEnumerable<string> adapters, ScalarType? computeDtype = null)
    {
        ComputeDtype = computeDtype;
        Model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentNullException.ThrowIfNull(adapters);
        Adapters = adapters.Distinct(StringComparer.Ordinal).ToArray();
        // The module tree does not change after construction; walking it once keeps each call cheap.
        layers = LoraAdapters.Layers(model).Select(l => l.Layer).ToArray();
        var known = layers.SelectMany(l => l.AdapterNames).Distinct(StringComparer.Ordinal).ToList();
        var unknown = Adapters.Where(a => !known.Contains(a)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Adapter(s) [{string.Join(", ", unknown)}] do not exist on the model (it has [{string.Join(", ", known)}]).", nameof(adapters));
        }
    }

    /// <summary>The shared transformer.</summary>
    public SD3Transformer2DModel Model { get; }

    /// <summary>Adapters active during a call (empty = base).</summary>
    public IReadOnlyList<string> Adapters { get; }

    /// <summary>Dtype the inputs are cast to for the forward pass, or null.</summary>
    public ScalarType? ComputeDtype { get; }

    /// <summary>
    /// The teacher: the base alone (reference without <c>--use_teacher_lora</c>) or base + the teacher LoRA.
    /// </summary>
    public static AdapterScoreModel Teacher(SD3Transformer2DModel model, string? teacherAdapter, ScalarType? computeDtype = null) =>
        new(model, teacherAdapter is null ? [] : [teacherAdapter], computeDtype);

    /// <summary>The fake-score ("reg") model: base + the fake-score LoRA only (not teacher + reg; reference quirk 25).</summary>
    public static AdapterScoreModel FakeScore(SD3Transformer2DModel model, string fakeScoreAdapter, ScalarType? computeDtype = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fakeScoreAdapter);
        return new(model, [fakeScoreAdapter], computeDtype);
    }

    /// <inheritdoc />
    public Tensor PredictVelocity(Tensor latent, Tensor timestep, Tensor promptEmbeds, Tensor pooledEmbeds)
    {
        ArgumentNullException.ThrowIfNull(latent);
        using var state = AdapterStateScope.Capture(layers);
        foreach (var layer in layers)
        {
            layer.SetActiveAdapters(Adapters.Where(layer.HasAdapter));
            layer.SetAdaptersEnabled(true);
        }

        using var scope = NewDisposeScope();
        var v = ComputeDtype is { } dt
            ? Model.forward(latent.to(dt), promptEmbeds.to(dt), pooledEmbeds.to(dt), timestep)
            : Model.forward(latent, promptEmbeds, pooledEmbeds, timestep);
        return (v.dtype == latent.dtype ? v : v.to(latent.dtype)).MoveToOuterDisposeScope();
    }
}
