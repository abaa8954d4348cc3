namespace TsdSr.Data.Degradation;

/// <summary>Validation of probabilities in configs.</summary>
internal static class Probability
{
    public static void Validate(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentException($"{name} = {p} is not a probability in [0, 1].", name);
        }
    }
}
