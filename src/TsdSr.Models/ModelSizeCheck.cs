using TsdSr.Core.SafeTensors;

namespace TsdSr.Models;

/// <summary>
/// Compares the size a config describes with the size its weights file holds, from the file's header, before the model
/// is built. A strict load would reject a mismatch anyway, but only after building the model the config describes:
/// with <c>"num_layers": 100000</c> that is tens of gigabytes of allocation before the first missing key is noticed.
/// </summary>
internal static class ModelSizeCheck
{
    /// <summary>Throws unless <paramref name="source"/> holds exactly as many values as <paramref name="countValues"/> says the config builds.</summary>
    /// <param name="source">The opened weights (header only).</param>
    /// <param name="countValues">Counts the parameters and persistent buffers the config builds (may overflow).</param>
    /// <param name="what">The model and its config, for the message.</param>
    /// <exception cref="InvalidDataException">The sizes differ.</exception>
    public static void RequireFileMatches(ITensorSource source, Func<long> countValues, string what)
    {
        long expectedValues;
        try
        {
            expectedValues = countValues();
        }
        catch (OverflowException)
        {
            expectedValues = long.MaxValue;
        }

        long inFile = 0;
        try
        {
            foreach (var t in source.Tensors.Values)
            {
                inFile = checked(inFile + t.ElementCount);
            }
        }
        catch (OverflowException)
        {
            inFile = long.MaxValue;
        }

        if (inFile != expectedValues)
        {
            throw new InvalidDataException(
                $"The config of {what} describes {Describe(expectedValues)} values, but '{source.Description}' holds {Describe(inFile)}: the config does not belong to these weights. Nothing was built.");
        }
    }

    private static string Describe(long values) =>
        values == long.MaxValue ? "more than 9.2·10^18" : values.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
