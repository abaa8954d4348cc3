namespace TsdSr.Training.Checkpoints;

/// <summary>A checkpoint cannot be written, or a valid checkpoint does not fit the live training objects.</summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointException(string path, string message, Exception? inner = null)
        : base($"Checkpoint '{path}': {message}", inner)
    {
        CheckpointPath = path;
    }

    /// <summary>The checkpoint folder or file.</summary>
    public string CheckpointPath { get; }
}
