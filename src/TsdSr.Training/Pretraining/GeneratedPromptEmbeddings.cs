using TsdSr.Core.Embeddings;
using static TorchSharp.torch;

namespace TsdSr.Training.Pretraining;

/// <summary>
/// Prompt conditioning without a text encoder: fixed, seeded N(0, 1) embeddings for the "default" prompt (what the
/// student always sees) and for the "null" prompt (the unconditional branch of classifier-free guidance). The teacher
/// learns what each stands for from the data it is paired with (<see cref="TeacherTrainingStep"/>).
/// </summary>
public static class GeneratedPromptEmbeddings
{
    /// <summary>Stream of the default prompt (added to the seed).</summary>
    public const ulong DefaultStream = 1;

    /// <summary>Stream of the null prompt.</summary>
    public const ulong NullStream = 2;

    /// <summary>Draws [1, tokens, width] prompt tokens and a [1, pooledWidth] pooled vector from <paramref name="seed"/> + <paramref name="stream"/>.</summary>
    public static PromptEmbeddings Create(ulong seed, ulong stream, int tokens, int width, int pooledWidth, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pooledWidth);
        using var generator = new Generator(unchecked(seed + stream));
        var prompt = randn([1, tokens, width], ScalarType.Float32, generator: generator);
        var pooled = randn([1, pooledWidth], ScalarType.Float32, generator: generator);
        return new PromptEmbeddings(prompt, pooled, source);
    }
}
