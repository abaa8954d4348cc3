namespace TsdSr.Models.Lora;

/// <summary>How a new adapter's matrices are initialised (PEFT's <c>init_lora_weights</c>).</summary>
public enum LoraInit
{
    /// <summary>PEFT's default (<c>True</c>): A Kaiming-uniform (a = √5), B = 0, so the adapter starts as a no-op.</summary>
    Default,

    /// <summary>PEFT's <c>"gaussian"</c> (TSD-SR): A ~ N(0, std = 1/r), B = 0, so the adapter starts as a no-op.</summary>
    Gaussian,

    /// <summary>PEFT's <c>False</c>: both matrices keep the layers' default random initialisation (B ≠ 0; tests).</summary>
    Random,
}
