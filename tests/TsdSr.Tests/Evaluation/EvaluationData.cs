using System.Globalization;
using TsdSr.Imaging;

namespace TsdSr.Tests.Evaluation;

/// <summary>The real-data copies under tests/TsdSr.Tests/data and the pyiqa scores that come with them.</summary>
internal static class EvaluationData
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "data");

    public static string RealSr(params string[] parts) => Path.Combine([Root, "realsr_subset", .. parts]);

    /// <summary>One row of realsr_subset/scores.csv: image name → column → value.</summary>
    public static IReadOnlyList<(string Image, IReadOnlyDictionary<string, double> Scores)> Scores { get; } = ReadScores();

    public static IEnumerable<object[]> ImageNames() => Scores.Select(s => new object[] { s.Image });

    public static RgbImage Sr(string name) => ImageCodec.Load(RealSr("osediff_sr", name));

    public static RgbImage Hr(string name) => ImageCodec.Load(RealSr("hr", name));

    public static double Expected(string image, string column) => Scores.Single(s => s.Image == image).Scores[column];

    private static List<(string, IReadOnlyDictionary<string, double>)> ReadScores()
    {
        var lines = File.ReadAllLines(RealSr("scores.csv"));
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',');
            IReadOnlyDictionary<string, double> d = Enumerable.Range(1, header.Length - 1)
                .ToDictionary(i => header[i], i => double.Parse(cells[i], CultureInfo.InvariantCulture));
            return (cells[0], d);
        }).ToList();
    }
}
