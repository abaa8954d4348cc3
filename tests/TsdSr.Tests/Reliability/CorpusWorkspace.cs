using System.CommandLine;
using TsdSr.Cli.Commands;
using TsdSr.Imaging;
using TsdSr.Inference.Hosting;
using TsdSr.Tests.Inference.Hosting;
using TsdSr.Tests.TestSupport;
using TsdSr.Tests.Training.Runs;

namespace TsdSr.Tests.Reliability;

/// <summary>A fresh folder per corpus case, with the commands and library calls the cases run against it.</summary>
internal sealed class CorpusWorkspace : IDisposable
{
    private string? model;
    private RunTestFolder? training;

    public string Root { get; } = Directory.CreateTempSubdirectory("tsdsr-corpus-").FullName;

    /// <summary>Counts model loads of the stand-in pipeline (cases that must refuse before loading check it is 0).</summary>
    public FakeTsdSrPipelineFactory Fake { get; } = new();

    public string In => P("in");

    public string Out => P("out");

    /// <summary>A copy of the tiny TSD-SR model (transformer/, vae/, lora/, embeddings/) that cases may damage.</summary>
    public string Model => this.model ??= CopyModel();

    /// <summary>A file of <see cref="Model"/> (the copy is made on first use).</summary>
    public string ModelPath(string relative) => Path.Combine(Model, relative);

    public string Lora => Path.Combine(Model, "lora");

    public string Embeddings => Path.Combine(Model, "embeddings");

    /// <summary>A training folder (tiny models, two pairs) whose config cases may edit.</summary>
    public RunTestFolder Training => training ??= new RunTestFolder(pairs: 2);

    public string P(params string[] parts) => Path.Combine([Root, .. parts]);

    public string Save(string relative, RgbImage image)
    {
        var path = P(relative);
        ImageCodec.Save(image, path, new ImageSaveOptions { Overwrite = true });
        return path;
    }

    public string Unwritable() => SpecialFiles.UnwritableFolder(Root);

    /// <summary><c>tsdsr upscale</c> with the stand-in pipeline (<paramref name="real"/> false) or the tiny real one.</summary>
    public Task<CorpusOutcome> Upscale(bool real, params string[] args) => Upscale(real, CancellationToken.None, args);

    public Task<CorpusOutcome> Upscale(bool real, CancellationToken cancellationToken, params string[] args)
    {
        Func<ITsdSrPipelineFactory> factory = real ? () => new TsdSrPipelineFactory() : () => Fake;
        string[] weights = ["--model", Model, "--lora", Lora, "--embeddings", Embeddings, "--device", "cpu"];
        return Invoke(UpscaleCommand.Create(factory), ["upscale", .. weights, .. args], cancellationToken);
    }

    public Task<CorpusOutcome> Eval(params string[] args) => Invoke(EvalCommand.Create(), ["eval", .. args]);

    public Task<CorpusOutcome> Degrade(params string[] args) => Invoke(DegradeCommand.Create(), ["degrade", .. args]);

    public Task<CorpusOutcome> Train(params string[] args) => Invoke(TrainCommand.Create(), ["train", .. args]);

    /// <summary>A library call: the exception it throws (type and message), or none.</summary>
    public static async Task<CorpusOutcome> Call(Func<Task> call)
    {
        try
        {
            await call();
            return new CorpusOutcome(null, null, string.Empty);
        }
        catch (Exception e)
        {
            return new CorpusOutcome(null, e.GetType().Name, e.Message);
        }
    }

    public static Task<CorpusOutcome> Call(Action call) => Call(() =>
    {
        call();
        return Task.CompletedTask;
    });

    public void Dispose()
    {
        SpecialFiles.MakeWritable(Root);
        training?.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private static async Task<CorpusOutcome> Invoke(Command command, string[] args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await new RootCommand { command }.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return new CorpusOutcome(code, null, output + Environment.NewLine + error);
    }

    private string CopyModel()
    {
        var source = FixturePaths.Get("tsdsr_pipeline_tiny");
        var target = P("model");
        foreach (var folder in new[] { "transformer", "vae", "lora", "embeddings" })
        {
            Directory.CreateDirectory(Path.Combine(target, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(source, folder)))
            {
                File.Copy(file, Path.Combine(target, folder, Path.GetFileName(file)));
            }
        }

        return target;
    }
}
