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

    /// <summary>
    /// Evaluates synchronously. One bad file never sinks the run: an image that cannot be read (corrupt, truncated, empty,
    /// over <see cref="EvaluationOptions.MaxPixels"/>, a pair of different sizes) is reported in
    /// <see cref="EvaluationReport.Failures"/> and left out; a metric that fails or returns NaN on one image leaves a NaN
    /// with its reason (<see cref="ImageScores.Notes"/>) that the mean skips.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown metric, or an explicitly requested full-reference metric without HR.</exception>
    /// <exception cref="MetricUnavailableException">An explicitly requested metric lacks its weights, or they cannot be read.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
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

        var metricFailures = new List<string>();
        var metrics = CreateMetrics(options, warnings, metricFailures);
        try
        {
            var report = Evaluate(options, pairing, metrics, warnings, progress, cancellationToken);
            return report with { MetricFailures = [.. metricFailures, .. report.MetricFailures] };
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
        bool needsHr = options.HrDirectory is not null && perImage.Any(m => m.Kind == MetricKind.FullReference);
        var loadOptions = options.ToImageLoadOptions();
        var failures = new List<ImageFailure>(pairing.Failures);
        var images = new List<ImageScores>(pairing.Names.Count);
        int total = pairing.Names.Count + pairing.Failures.Count, done = 0;
        var none = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var f in pairing.Failures)
        {
            progress?.Report(new EvaluationProgress(++done, total, f.Name, none) { Error = f.Reason });
        }

        foreach (var name in pairing.Names)
        {
            ct.ThrowIfCancellationRequested();
            RgbImage sr;
            RgbImage? hr;
            try
            {
                sr = ImageCodec.Load(Path.Combine(options.SrDirectory, name), loadOptions);
                hr = needsHr ? ImageCodec.Load(Path.Combine(options.HrDirectory!, name), loadOptions) : null;
            }
            catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException)
            {
                failures.Add(new ImageFailure(name, e.Message));
                progress?.Report(new EvaluationProgress(++done, total, name, none) { Error = e.Message });
                continue;
            }

            var (values, notes) = Score(perImage, sr, hr);
            images.Add(new ImageScores(name, values) { Notes = notes });
            progress?.Report(new EvaluationProgress(++done, total, name, values) { Notes = notes });
        }

        var mean = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in perImage)
        {
            // A NaN (a metric that failed or could not judge one image) says nothing about the others: it is left out.
            var finite = images.Select(s => s.Values[m.Name]).Where(double.IsFinite).ToList();
            mean[m.Name] = finite.Count == 0 ? double.NaN : finite.Average();
            var missing = images.Where(s => s.Notes.ContainsKey(m.Name)).ToList();
            if (missing.Count > 0)
            {
                warnings.Add($"{m.Name}: no value for {missing.Count} image(s), left out of the mean: {string.Join("; ", missing.Select(s => $"{s.Name} ({s.Notes[m.Name]})"))}.");
            }
        }

        var evaluated = images.Select(s => s.Name).ToList();
        var metricFailures = new List<string>();
        foreach (var m in metrics.OfType<IDistributionMetric>())
        {
            ct.ThrowIfCancellationRequested();
            var srPaths = evaluated.Select(n => Path.Combine(options.SrDirectory, n)).ToList();
            var hrPaths = evaluated.Select(n => Path.Combine(options.HrDirectory!, n)).ToList();
            try
            {
                mean[m.Name] = m.Compute(srPaths, hrPaths, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                mean[m.Name] = double.NaN;
                metricFailures.Add($"{m.Name}: {e.Message}");
            }
        }

        return new EvaluationReport
        {
            Metrics = metrics.Select(m => new MetricColumn(m.Name, m.LowerIsBetter, m.Kind == MetricKind.Distribution)).ToList(),
            Images = images,
            Mean = mean,
            Warnings = warnings,
            UnpairedSr = pairing.UnpairedSr,
            UnpairedHr = pairing.UnpairedHr,
            Failures = failures,
            MetricFailures = metricFailures,
        };
    }

    /// <summary>Every per-image metric on one pair; a metric that throws or returns NaN gives NaN with its reason.</summary>
    private static (Dictionary<string, double> Values, Dictionary<string, string> Notes) Score(List<IImageMetric> perImage, RgbImage sr, RgbImage? hr)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in perImage)
        {
            try
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
                    // A metric that cannot judge this image (e.g. NIQE with no usable block) says why.
                    notes[m.Name] = score.Note;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not InvalidOperationException)
            {
                values[m.Name] = double.NaN;
                notes[m.Name] = e.Message;
            }

            if (double.IsNaN(values[m.Name]) && !notes.ContainsKey(m.Name))
            {
                notes[m.Name] = "the metric returned NaN";
            }
        }

        return (values, notes);
    }

    private List<IImageMetric> CreateMetrics(EvaluationOptions options, List<string> warnings, List<string> metricFailures)
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

                try
                {
                    created.Add(registry.Create(name, context));
                }
                catch (Exception e) when (e is not OperationCanceledException and not MetricUnavailableException and not ArgumentException)
                {
                    // The weights exist but cannot be used (corrupt, wrong shapes): named, never a stack trace.
                    var message = $"Metric '{name}' could not be created: {e.Message}";
                    if (explicitList)
                    {
                        throw new MetricUnavailableException(name, message);
                    }

                    metricFailures.Add(message);
                }
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
