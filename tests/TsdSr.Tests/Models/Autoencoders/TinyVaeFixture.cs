using TsdSr.Core.SafeTensors;
using TsdSr.Models.Autoencoders;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>The sd3_vae_tiny model loaded once (fp32, CPU) plus its two golden io files.</summary>
public sealed class TinyVaeFixture : IDisposable
{
    public TinyVaeFixture()
    {
        Model = AutoencoderKL.FromPretrained(Directory);
        Io = new Dictionary<string, Dictionary<string, Tensor>>
        {
            ["io"] = SafetensorsFile.LoadAll(Path.Combine(Directory, "io.safetensors")),
            ["io_nonsquare"] = SafetensorsFile.LoadAll(Path.Combine(Directory, "io_nonsquare.safetensors")),
        };
    }

    public static string Directory => FixturePaths.Get("sd3_vae_tiny");

    public AutoencoderKL Model { get; }

    public Dictionary<string, Dictionary<string, Tensor>> Io { get; }

    public void Dispose()
    {
        Model.Dispose();
        foreach (var t in Io.Values.SelectMany(d => d.Values))
        {
            t.Dispose();
        }
    }
}
