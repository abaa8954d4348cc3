namespace TsdSr.Training.Adapters;

/// <summary>LoRA ranks of the three trainable / switchable adapters (α = rank, as the reference).</summary>
/// <param name="Student">Student transformer LoRA rank (<c>--rank</c>, 64).</param>
/// <param name="Vae">Student VAE-encoder LoRA rank (<c>--rank_vae</c>, 64).</param>
/// <param name="FakeScore">Fake-score LoRA rank (<c>--rank_lora</c>, 64 in the released script).</param>
public sealed record AdapterRanks(int Student = 64, int Vae = 64, int FakeScore = 64)
{
    /// <summary>Checks every rank is at least 1.</summary>
    /// <exception cref="ArgumentException">A rank is below 1.</exception>
    public void Validate()
    {
        if (Student < 1 || Vae < 1 || FakeScore < 1)
        {
            throw new ArgumentException($"LoRA ranks must be at least 1, got student {Student}, vae {Vae}, fake score {FakeScore}.");
        }
    }
}
