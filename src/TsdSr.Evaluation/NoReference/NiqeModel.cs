using System.Text.Json;

namespace TsdSr.Evaluation.NoReference;

/// <summary>
/// The NIQE pristine multivariate Gaussian (μ 36, Σ 36×36). <see cref="Default"/> is the model pyiqa uses,
/// embedded in this assembly (BasicSR's <c>niqe_pris_params.npz</c>, Apache-2.0; see Resources/NOTICE.md).
/// </summary>
public sealed class NiqeModel
{
    /// <summary>Number of NIQE features (18 per scale, two scales).</summary>
    public const int FeatureCount = 36;

    private const string ResourceName = "TsdSr.Evaluation.niqe_pris_params.json";
    private static readonly Lazy<NiqeModel> DefaultModel = new(LoadEmbedded);

    private NiqeModel(double[] mean, double[,] covariance)
    {
        Mean = mean;
        CovarianceInternal = covariance;
    }

    /// <summary>The pristine model pyiqa's <c>niqe</c> uses.</summary>
    public static NiqeModel Default => DefaultModel.Value;

    /// <summary>Pristine feature mean (<c>mu_prisparam</c>).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Pristine feature covariance (<c>cov_prisparam</c>); a copy.</summary>
    public double[,] Covariance => (double[,])CovarianceInternal.Clone();

    internal double[,] CovarianceInternal { get; }

    /// <summary>
    /// Reads a model from JSON with <c>mu_prisparam</c> ([1][36] or [36]) and <c>cov_prisparam</c> ([36][36]) number
    /// arrays, the layout of <c>data/niqe/niqe_pris_params.json</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">Missing arrays or wrong sizes.</exception>
    public static NiqeModel Load(Stream json, string description)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.TryGetProperty("mu_prisparam", out var muEl) || !root.TryGetProperty("cov_prisparam", out var covEl))
        {
            throw new InvalidDataException($"NIQE model '{description}' needs 'mu_prisparam' and 'cov_prisparam' arrays.");
        }

        if (muEl.GetArrayLength() == 1 && muEl[0].ValueKind == JsonValueKind.Array)
        {
            muEl = muEl[0];
        }

        var mean = muEl.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var rows = covEl.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        if (mean.Length != FeatureCount || rows.Length != FeatureCount || rows.Any(r => r.Length != FeatureCount))
        {
            throw new InvalidDataException(
                $"NIQE model '{description}': expected mu_prisparam of {FeatureCount} and cov_prisparam of {FeatureCount}x{FeatureCount}, got {mean.Length} and {rows.Length}x{(rows.Length == 0 ? 0 : rows[0].Length)}.");
        }

        var cov = new double[FeatureCount, FeatureCount];
        for (int i = 0; i < FeatureCount; i++)
        {
            for (int j = 0; j < FeatureCount; j++)
            {
                cov[i, j] = rows[i][j];
            }
        }

        return new NiqeModel(mean, cov);
    }

    /// <summary>Reads a model from a JSON file (see <see cref="Load(Stream, string)"/>).</summary>
    public static NiqeModel Load(string path)
    {
        using var s = File.OpenRead(path);
        return Load(s, path);
    }

    private static NiqeModel LoadEmbedded()
    {
        using var s = typeof(NiqeModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(NiqeModel).Assembly.GetName().Name}.");
        return Load(s, ResourceName);
    }
}
