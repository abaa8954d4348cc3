namespace TsdSr.Evaluation.Runner;

/// <summary>Reported after each image.</summary>
/// <param name="Done">Images finished.</param>
/// <param name="Total">Images to evaluate.</param>
/// <param name="ImageName">File name of the image just finished.</param>
/// <param name="Values">Its metric values.</param>
public sealed record EvaluationProgress(int Done, int Total, string ImageName, IReadOnlyDictionary<string, double> Values);
