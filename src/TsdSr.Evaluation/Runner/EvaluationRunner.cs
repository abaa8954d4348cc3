using TsdSr.Evaluation.Metrics;
using TsdSr.Imaging;

namespace TsdSr.Evaluation.Runner;

/// <summary>
/// Evaluates a folder of SR images (against HR images paired by name) with registry metrics: per-image values,
/// means, set-level metrics, warnings for skipped metrics and unpaired files. The engine behind <c>tsdsr eval</c>.
/// </summary>
public sealed class EvaluationRunner
{
    private readonly MetricRegistry registry;

    /// <summary>Creates a runner over <paramref name="registry"/> (the built-in metrics when null).</summary>
    public EvaluationRunner(MetricRegistry? registry = null)
    {
        this.registry = registry ?? MetricRegistry.CreateDefault();
    }

    /// <summary>Runs <see cref="Run"/> on the thread pool.</summary>
    public Task<EvaluationReport> RunAsync(EvaluationOptions options, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(options, progress, cancellationToken), cancellationToken);

    /// <summary>Evaluates synchronously.</summary>
    /// <exception cref="ArgumentException">Unknown metric, or an explicitly requested full-reference metric without HR.</exception>
    /// <exception cref="MetricUnavailableException">An explicitly requested metric lacks its weights or implementation.</exception>
    /// <exception cref="InvalidDataException">A pair differs in size.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between images.</exception>
    public EvaluationReport Run(EvaluationOptions options, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        var pairing = ImagePairing.Pair(options.SrDirectory, options.HrDirectory, options.LrDirectory);
        if (pairing.UnpairedSr.Count > 0)
        {
            warnings.Add($"{pairing.UnpairedSr.Count} SR image(s) have no ground truth of the same name and were skipped: {string.Join(", ", pairing.UnpairedSr)}.");
        }

        if (pairing.UnpairedHr.Count > 0)
        {
            warnings.Add($"{pairing.UnpairedHr.Count} ground-truth image(s) have no SR image of the same name: {string.Join(", ", pairing.UnpairedHr)}.");
        }

        if (pairing.MissingLr.Count > 0)
        {
            warnings.Add($"{pairing.MissingLr.Count} image(s) have no LR input of the same name: {string.Join(", ", pairing.MissingLr)}.");
        }

        var metrics = CreateMetrics(options, warnings);
        try
        {
            return Evaluate(options, pairing, metrics, warnings, progress, cancellationToken);
        }
        finally
        {
            foreach (var m in metrics)
            {
                m.Dispose();
            }
        }
    }

    private static EvaluationReport Evaluate(
        EvaluationOptions options, ImagePairing.Result pairing, List<IImageMetric> metrics, List<string> warnings,
        IProgress<EvaluationProgress>? progress, CancellationToken ct)
    {
        var perImage = metrics.Where(m => m.Kind != MetricKind.Distribution).ToList();
        var images = new List<ImageScores>(pairing.Names.Count);
        for (int i = 0; i < pairing.Names.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var name = pairing.Names[i];
            var sr = ImageCodec.Load(Path.Combine(options.SrDirectory, name));
            var hr = options.HrDirectory is null || !perImage.Any(m => m.Kind == MetricKind.FullReference)
                ? null
                : ImageCodec.Load(Path.Combine(options.HrDirectory, name));
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var m in perImage)
            {
                var score = m switch
                {
                    IFullReferenceMetric fr => new MetricScore(fr.Compute(sr, hr!)),
                    INoReferenceMetric nr => nr.Score(sr),
                    _ => throw new InvalidOperationException($"Metric '{m.Name}' implements neither IFullReferenceMetric nor INoReferenceMetric."),
                };
                values[m.Name] = score.Value;
                if (score.Note is not null)
                {
                    // The run goes on: the value stays in the table (NaN), the reason goes into the report.
                    warnings.Add($"{name}: {m.Name} {score.Note}");
                }
            }

            images.Add(new ImageScores(name, values));
            progress?.Report(new EvaluationProgress(i + 1, pairing.Names.Count, name, values));
        }

        var mean = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in perImage)
        {
            mean[m.Name] = images.Count == 0 ? double.NaN : images.Average(s => s.Values[m.Name]);
        }

        foreach (var m in metrics.OfType<IDistributionMetric>())
        {
            ct.ThrowIfCancellationRequested();
            var srPaths = pairing.Names.Select(n => Path.Combine(options.SrDirectory, n)).ToList();
            var hrPaths = pairing.Names.Select(n => Path.Combine(options.HrDirectory!, n)).ToList();
            mean[m.Name] = m.Compute(srPaths, hrPaths, ct);
        }

        return new EvaluationReport
        {
            Metrics = metrics.Select(m => new MetricColumn(m.Name, m.LowerIsBetter, m.Kind == MetricKind.Distribution)).ToList(),
            Images = images,
            Mean = mean,
            Warnings = warnings,
            UnpairedSr = pairing.UnpairedSr,
            UnpairedHr = pairing.UnpairedHr,
        };
    }

    private List<IImageMetric> CreateMetrics(EvaluationOptions options, List<string> warnings)
    {
        bool explicitList = options.Metrics is not null;
        var names = (options.Metrics ?? BuiltInMetrics.PaperMetrics).Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).Distinct().ToList();
        var context = new MetricContext { WeightsDirectory = options.WeightsDirectory, Device = options.Device };
        var created = new List<IImageMetric>();
        try
        {
            foreach (var name in names)
            {
                var d = registry.Get(name);
                if (d.Kind != MetricKind.NoReference && options.HrDirectory is null)
                {
                    if (explicitList)
                    {
                        throw new ArgumentException($"Metric '{name}' compares with ground truth and needs an HR folder (--hr DIR).");
                    }

                    warnings.Add($"Skipped '{name}': it needs an HR folder (--hr DIR).");
                    continue;
                }

                var problem = d.CheckAvailability(context);
                if (problem is not null)
                {
                    if (explicitList)
                    {
                        throw problem;
                    }

                    warnings.Add($"Skipped: {problem.Message}");
                    continue;
                }

                created.Add(registry.Create(name, context));
            }

            return created;
        }
        catch
        {
            foreach (var m in created)
            {
                m.Dispose();
            }

            throw;
        }
    }
}
