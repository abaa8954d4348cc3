using TsdSr.Imaging;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Inference.Hosting;

/// <summary>A temporary folder with empty model/, lora/ and embeddings/ folders (enough for option validation) and helpers.</summary>
internal sealed class HostingTestFolders : IDisposable
{
    public HostingTestFolders()
    {
        Root = Path.Combine(Path.GetTempPath(), "tsdsr-hosting-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Model);
        Directory.CreateDirectory(Lora);
        Directory.CreateDirectory(Embeddings);
    }

    public string Root { get; }

    public string Model => Path.Combine(Root, "model");

    public string Lora => Path.Combine(Root, "lora");

    public string Embeddings => Path.Combine(Root, "embeddings");

    public TsdSrOptions Options(Action<TsdSrOptions>? change = null)
    {
        var o = new TsdSrOptions { ModelDirectory = Model, LoraDirectory = Lora, EmbeddingsDirectory = Embeddings, Device = "cpu" };
        change?.Invoke(o);
        return o;
    }

    public void Apply(TsdSrOptions o)
    {
        o.ModelDirectory = Model;
        o.LoraDirectory = Lora;
        o.EmbeddingsDirectory = Embeddings;
        o.Device = "cpu";
    }

    /// <summary>Writes a small PNG of a flat colour and returns its path.</summary>
    public string WritePng(string folder, string name, int width, int height, byte value = 100)
    {
        var pixels = Enumerable.Repeat(value, width * height * 3).ToArray();
        var path = Path.Combine(Root, folder, name);
        ImageCodec.SavePng(new RgbImage(width, height, pixels), path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
