using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Training.Checkpoints;

/// <summary>One trainable adapter in a checkpoint: a file label, the model that carries it and the adapter name.</summary>
/// <param name="Label">File label (letters, digits, '_' and '-'), e.g. "student_transformer".</param>
/// <param name="Model">The model carrying the adapter.</param>
/// <param name="Adapter">The adapter name on that model.</param>
public sealed record AdapterSlot(string Label, nn.Module Model, string Adapter);
