using System.Globalization;
using TsdSr.Models.Embeddings;

namespace TsdSr.Models.Transformers;

/// <summary>
/// Names under which <see cref="SD3Transformer2DModel.forward"/> reports intermediate tensors to an observer. They match
/// the <c>intermediate.*</c> tensors of the golden fixtures (diffusers sub-module outputs), which localises a mismatch.
/// </summary>
public static class SD3TransformerIntermediates
{
    /// <summary>Sinusoidal timestep features [B,256], fp32, cos half first.</summary>
    public const string TimestepProj = CombinedTimestepTextProjEmbeddings.TimestepProjName;

    /// <summary>The conditioning vector temb [B,D].</summary>
    public const string Temb = "temb";

    /// <summary>Patch tokens plus the cropped position table [B,N,D].</summary>
    public const string PatchEmbed = "patch_embed";

    /// <summary>Projected context tokens [B,L,D].</summary>
    public const string ContextEmbed = "context_embed";

    /// <summary>Output of <c>norm_out</c> [B,N,D].</summary>
    public const string NormOut = "norm_out";

    /// <summary>Output of <c>proj_out</c> [B,N,p²·C], before unpatchify.</summary>
    public const string ProjOut = "proj_out";

    /// <summary>Image-stream output of block <paramref name="index"/> [B,N,D] (not reported for skipped blocks).</summary>
    public static string BlockHiddenStates(int index) => string.Create(CultureInfo.InvariantCulture, $"block_{index}.hidden_states");

    /// <summary>Context-stream output of block <paramref name="index"/> [B,L,D] (absent for the last block).</summary>
    public static string BlockEncoderHiddenStates(int index) => string.Create(CultureInfo.InvariantCulture, $"block_{index}.encoder_hidden_states");
}
