using static TorchSharp.torch;

namespace TsdSr.Training.Checkpoints;

/// <summary>
/// A whole model trained in full (every parameter and persistent buffer of its state dict) in a checkpoint: the nano
/// VAE and teacher stages, where there are no adapters.
/// </summary>
/// <param name="Label">File label (letters, digits, '_' and '-'), e.g. "vae".</param>
/// <param name="Model">The model.</param>
public sealed record ModuleSlot(string Label, nn.Module Model);
