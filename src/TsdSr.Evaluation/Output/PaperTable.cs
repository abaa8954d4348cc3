using System.Globalization;
using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Runner;

namespace TsdSr.Evaluation.Output;

/// <summary>A summary row shaped like Table 1 of the TSD-SR paper (same columns, order and decimals).</summary>
public static class PaperTable
{
    /// <summary>Header line: <c>Method | PSNR↑ | SSIM↑ | LPIPS↓ | DISTS↓ | FID↓ | NIQE↓ | MUSIQ↑ | MANIQA↑ | CLIPIQA↑</c>.</summary>
    public static string Header() =>
        "| Method | " + string.Join(" | ", BuiltInMetrics.PaperMetrics.Select(m => m.ToUpperInvariant() + (LowerIsBetter(m) ? "↓" : "↑"))) + " |";

    /// <summary>The means of <paramref name="report"/> as one row; metrics that did not run show "-".</summary>
    public static string Row(EvaluationReport report, string method)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cells = BuiltInMetrics.PaperMetrics.Select(m => report.Mean.TryGetValue(m, out var v) && double.IsFinite(v)
            ? v.ToString(m is "psnr" or "fid" or "musiq" ? "F2" : "F4", CultureInfo.InvariantCulture)
            : "-");
        return $"| {method} | " + string.Join(" | ", cells) + " |";
    }

    /// <summary>Header, separator and row, ready to print.</summary>
    public static string Format(EvaluationReport report, string method)
    {
        var header = Header();
        var sep = "|---|" + string.Concat(Enumerable.Repeat("---|", BuiltInMetrics.PaperMetrics.Count));
        return header + Environment.NewLine + sep + Environment.NewLine + Row(report, method) + Environment.NewLine;
    }

    private static bool LowerIsBetter(string m) => m is "lpips" or "dists" or "fid" or "niqe";
}
