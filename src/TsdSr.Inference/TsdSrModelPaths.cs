namespace TsdSr.Inference;

/// <summary>Where the weights are.</summary>
/// <param name="ModelDirectory">SD3-medium diffusers folder (or Hugging Face cache snapshot / repo folder) with transformer/ and vae/.</param>
/// <param name="LoraDirectory">TSD-SR LoRA folder with transformer.safetensors and vae.safetensors.</param>
/// <param name="EmbeddingsDirectory">Folder with prompt_embeds.pt and pool_embeds.pt, or their safetensors form.</param>
public sealed record TsdSrModelPaths(string ModelDirectory, string LoraDirectory, string EmbeddingsDirectory);
