namespace TsdSr.Data.Degradation;

/// <summary>Direction of a random resize.</summary>
public enum ResizeDirection
{
    /// <summary>Scale &gt; 1.</summary>
    Up,

    /// <summary>Scale &lt; 1.</summary>
    Down,

    /// <summary>Scale 1.</summary>
    Keep,
}
