namespace TsdSr.Data.Degradation;

/// <summary>A closed interval [Min, Max] from which a parameter is drawn uniformly.</summary>
/// <param name="Min">Lower end.</param>
/// <param name="Max">Upper end (equal to <paramref name="Min"/> for a constant).</param>
public readonly record struct ValueRange(double Min, double Max)
{
    /// <summary>Throws when the range is reversed, not finite, or leaves [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    internal void Validate(string name, double lower, double upper)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Min > Max || Min < lower || Max > upper)
        {
            throw new ArgumentException($"{name} = [{Min}, {Max}] must be an ordered finite range within [{lower}, {upper}].", name);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"[{Min}, {Max}]";
}
