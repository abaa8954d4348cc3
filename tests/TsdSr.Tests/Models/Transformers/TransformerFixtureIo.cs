using TsdSr.Core.SafeTensors;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Transformers;

/// <summary>One golden io file of a transformer fixture: inputs, the output and diffusers' intermediates.</summary>
internal sealed class TransformerFixtureIo : IDisposable
{
    private const string IntermediatePrefix = "intermediate.";
    private readonly Dictionary<string, Tensor> tensors;

    private TransformerFixtureIo(Dictionary<string, Tensor> tensors) => this.tensors = tensors;

    public Tensor HiddenStates => tensors["hidden_states"];

    public Tensor EncoderHiddenStates => tensors["encoder_hidden_states"];

    public Tensor PooledProjections => tensors["pooled_projections"];

    public Tensor Timestep => tensors["timestep"];

    public Tensor Sample => tensors["sample"];

    /// <summary>Intermediates by their name without the "intermediate." prefix.</summary>
    public IReadOnlyDictionary<string, Tensor> Intermediates =>
        tensors.Where(kv => kv.Key.StartsWith(IntermediatePrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[IntermediatePrefix.Length..], kv => kv.Value);

    public static string Directory(string fixture) => FixturePaths.Get(fixture);

    public static TransformerFixtureIo Load(string fixture, string file) =>
        new(SafetensorsFile.LoadAll(FixturePaths.Get(fixture, file)));

    public void Dispose()
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
