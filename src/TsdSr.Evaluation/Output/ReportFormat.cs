namespace TsdSr.Evaluation.Output;

/// <summary>Output formats of <c>tsdsr eval --format</c>.</summary>
public enum ReportFormat
{
    /// <summary>Aligned text table with a mean row.</summary>
    Table,

    /// <summary>CSV: header <c>image,metric…</c>, one row per image, a final <c>mean</c> row.</summary>
    Csv,

    /// <summary>JSON object <c>{ "images": [ { "name", metric: value… } ], "mean": { metric: value… } }</c>.</summary>
    Json,
}
