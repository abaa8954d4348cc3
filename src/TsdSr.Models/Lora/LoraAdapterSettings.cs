namespace TsdSr.Models.Lora;

/// <summary>The fixed settings of one adapter on one layer.</summary>
/// <param name="Rank">Rank r (rows of A).</param>
/// <param name="Alpha">LoRA alpha.</param>
/// <param name="UseRsLora">Rank-stabilised scaling α/√r instead of α/r.</param>
/// <param name="Init">How the adapter was initialised (written to saved metadata).</param>
/// <param name="HasBias">Whether B carries a bias (PEFT's <c>lora_bias</c>).</param>
public sealed record LoraAdapterSettings(int Rank, double Alpha, bool UseRsLora, LoraInit Init, bool HasBias)
{
    /// <summary>PEFT's <c>scaling</c>: α/r, or α/√r with rsLoRA. The runtime scale multiplies it.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;
}
