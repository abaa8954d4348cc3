using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using TsdSr.Cli.Commands;
using TsdSr.Core.Files;
using TsdSr.Imaging;
using TsdSr.Inference.Hosting;
using static TsdSr.Tests.Reliability.HostileFiles;

namespace TsdSr.Tests.Reliability;

/// <summary>§1: nothing the user has is lost or silently replaced.</summary>
internal static partial class HostileCorpus
{
    private static IEnumerable<CorpusCase> DataLossCases()
    {
        yield return new("upscale-file-onto-itself", DataLoss, "`upscale --input in.png --output in.png --overwrite` (single file)",
            async w =>
            {
                var input = w.Save("in/in.png", Flat(3, 2));
                return await w.Upscale(false, "--input", input, "--output", input, "--overwrite");
            },
            "exit 2", "Nothing was written", "is the input itself")
        {
            After = ("the input is unchanged and no model was loaded", (w, _) => ImageCodec.Identify(w.P("in/in.png")) == (3, 2) && w.Fake.Creates == 0),
        };

        yield return new("upscale-folder-onto-itself", DataLoss, "`upscale --input in/ --output in/` (folder)",
            async w =>
            {
                w.Save("in/a.png", Flat(3, 2));
                return await w.Upscale(false, "--input", w.In, "--output", w.In);
            },
            "exit 2", "is the input itself")
        {
            After = ("the input is unchanged", (w, _) => ImageCodec.Identify(w.P("in/a.png")) == (3, 2)),
        };

        yield return new("upscale-existing-output", DataLoss, "an output file that already exists",
            async w =>
            {
                var input = w.Save("in/photo.png", Flat(3, 2));
                w.Save("out/photo.png", Flat(1, 1));
                return await w.Upscale(false, "--input", input, "--output", w.Out);
            },
            "exit 2", "already exists; pass --overwrite")
        {
            After = ("the existing file is unchanged", (w, _) => ImageCodec.Identify(w.P("out/photo.png")) == (1, 1)),
        };

        yield return new("upscale-existing-output-overwrite", DataLoss, "the same with `--overwrite`",
            async w =>
            {
                var input = w.Save("in/photo.png", Flat(3, 2));
                w.Save("out/photo.png", Flat(1, 1));
                return await w.Upscale(false, "--input", input, "--output", w.Out, "--overwrite");
            },
            "exit 0", "Done: 1 upscaled")
        {
            After = ("the output was replaced", (w, _) => ImageCodec.Identify(w.P("out/photo.png")) == (12, 8)),
        };

        yield return new("upscale-existing-outputs-in-folder", DataLoss, "a folder run where one of two outputs exists",
            async w =>
            {
                w.Save("in/a.png", Flat(2, 2));
                w.Save("in/b.png", Flat(2, 2));
                w.Save("out/a.png", Flat(1, 1));
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "Nothing was written: 1 output(s) are refused", "a.png")
        {
            After = ("nothing was written", (w, _) => !File.Exists(w.P("out/b.png"))),
        };

        yield return new("upscale-concurrent-run", DataLoss, "a second run into an output folder another run holds",
            async w =>
            {
                w.Save("in/a.png", Flat(2, 2));
                using var other = OutputFolderLock.Acquire(w.Out, "another tsdsr upscale");
                return await w.Upscale(false, "--input", w.In, "--output", w.Out);
            },
            "exit 2", "Another run is writing to", OutputFolderLock.FileName);

        yield return new("upscale-output-jpg", DataLoss, "`--output out.jpg --jpeg-quality 90`",
            async w =>
            {
                var input = w.Save("in/photo.png", Flat(3, 2));
                return await w.Upscale(false, "--input", input, "--output", w.P("out.jpg"), "--jpeg-quality", "90");
            },
            "exit 0", "Done: 1 upscaled")
        {
            After = ("out.jpg holds JPEG bytes", (w, _) => File.ReadAllBytes(w.P("out.jpg"))[..2].SequenceEqual(new byte[] { 0xFF, 0xD8 })),
        };

        yield return new("upscale-output-unknown-extension", DataLoss, "`--output out.gif`",
            async w =>
            {
                var input = w.Save("in/photo.png", Flat(3, 2));
                return await w.Upscale(false, "--input", input, "--output", w.P("out.gif"));
            },
            "exit 2", "'.gif' names no image format");

        yield return new("upscale-transparent-to-jpg", DataLoss, "a transparent PNG to `--output out.jpg`",
            async w =>
            {
                var input = w.Save("in/clear.png", new RgbImage(2, 2, new byte[12], [0, 255, 255, 255]));
                return await w.Upscale(false, "--input", input, "--output", w.P("out.jpg"));
            },
            "exit 1", "JPEG cannot store the image's transparency")
        {
            After = ("nothing was upscaled", (w, _) => w.Fake.Pipeline.Calls == 0),
        };

        yield return new("upscale-cancelled-mid-run", DataLoss, "cancellation (the first Ctrl+C) during the second of three images",
            async w =>
            {
                foreach (var n in new[] { "a", "b", "c" })
                {
                    w.Save($"in/{n}.png", Flat(2, 2));
                }

                using var hold = new ManualResetEventSlim(false);
                w.Fake.Pipeline.Hold = hold;
                w.Fake.Pipeline.HoldFromCall = 1;
                using var cts = new CancellationTokenSource();
                var run = w.Upscale(false, cts.Token, "--input", w.In, "--output", w.Out);
                SpinWait.SpinUntil(() => Volatile.Read(ref w.Fake.Pipeline.Calls) >= 2, TimeSpan.FromMinutes(1));
                await cts.CancelAsync();
                return await run;
            },
            "exit 130", "Kept 1 finished output(s)", "Discarded the image in progress (b.png)")
        {
            After = ("only the finished output and no temporary is in the folder", (w, _) => Directory.GetFiles(w.Out).Select(Path.GetFileName).SequenceEqual(["a.png"])),
        };

        yield return new("signal-twice", DataLoss, "SIGINT, then SIGTERM while a file is being written",
            w =>
            {
                using var error = new StringWriter();
                int? exit = null;
                using var signals = new TerminationSignals(error, TerminationSignals.StoppingMessageFor("upscale"), () => exit = TerminationSignals.ExitCode);
                var temp = TemporaryFiles.Create(w.P("out.png"));
                File.WriteAllText(temp.Path, "half a png");
                signals.Handle(PosixSignal.SIGINT);
                signals.Handle(PosixSignal.SIGTERM);
                return Task.FromResult(new CorpusOutcome(exit, null, error.ToString()));
            },
            "exit 130", "Stopping after the current image", "removed 1 unfinished temporary file(s)")
        {
            After = ("no temporary is left", (w, _) => Directory.GetFiles(w.Root).Length == 0),
        };

        yield return new("library-existing-output", DataLoss, "`TsdSrUpscaler.UpscaleAsync(input, existing.png)`",
            w =>
            {
                var input = w.Save("in/photo.png", Flat(3, 2));
                var existing = w.Save("existing.png", Flat(1, 1));
                return CorpusWorkspace.Call(async () =>
                {
                    using var upscaler = new TsdSrUpscaler(Options.Create(new TsdSrOptions { ModelDirectory = w.Model, LoraDirectory = w.Lora, EmbeddingsDirectory = w.Embeddings, Device = "cpu" }), w.Fake);
                    await upscaler.UpscaleAsync(input, existing);
                });
            },
            nameof(IOException), "already exists", "TsdSrOptions.OverwriteOutputs");

        yield return new("library-onto-input", DataLoss, "`UpscaleAsync(input, input)` with `OverwriteOutputs = true`",
            w =>
            {
                var input = w.Save("in/photo.png", Flat(3, 2));
                return CorpusWorkspace.Call(async () =>
                {
                    using var upscaler = new TsdSrUpscaler(Options.Create(new TsdSrOptions { ModelDirectory = w.Model, LoraDirectory = w.Lora, EmbeddingsDirectory = w.Embeddings, Device = "cpu", OverwriteOutputs = true }), w.Fake);
                    await upscaler.UpscaleAsync(input, input);
                });
            },
            nameof(IOException), "is the input itself");

        yield return new("train-read-only-output-dir", DataLoss, "`train` with a read-only `output_dir`",
            async w =>
            {
                var readOnly = w.Unwritable();
                w.Training.Config(edit: j => j["output_dir"] = Path.Combine(readOnly, "run"));
                return await w.Train("--config", w.Training.ConfigPath!);
            },
            "exit 2", "output_dir:", "not writable")
        {
            Absent = ["intact"],
        };

        yield return new("train-fails-before-a-checkpoint", DataLoss, "`train` failing before its first checkpoint",
            async w =>
            {
                w.Training.Config(edit: j => j["logging"] = new System.Text.Json.Nodes.JsonObject { ["metrics_csv"] = w.Root });
                return await w.Train("--config", w.Training.ConfigPath!, "--max-steps", "2");
            },
            "exit 1", "Training failed", "No checkpoint was written")
        {
            Absent = ["intact"],
        };

        yield return new("degrade-rerun-into-pairs", DataLoss, "`degrade` into a folder that already holds pairs",
            async w =>
            {
                w.Save("hr/a.png", Noise(100, 90));
                string[] args = ["--input", w.P("hr"), "--output", w.Out, "--crop", "64", "--preset", "stablesr"];
                await w.Degrade(args);
                return await w.Degrade(args);
            },
            "exit 2", "already holds 1 file(s)", "(--resume or --overwrite)");

        yield return new("degrade-resume", DataLoss, "`degrade --resume` after an interruption (a pair half written)",
            async w =>
            {
                w.Save("hr/a.png", Noise(100, 90));
                w.Save("hr/b.png", Noise(90, 100, seed: 2));
                string[] args = ["--input", w.P("hr"), "--output", w.Out, "--crop", "64", "--preset", "stablesr"];
                await w.Degrade(args);
                File.Delete(w.P("out/lr_bicubic/0000001.png"));
                return await w.Degrade([.. args, "--resume"]);
            },
            "exit 0", "2 pairs from 2 images", "1 of them kept from the interrupted run")
        {
            After = ("the half-written pair is complete again", (w, _) => File.Exists(w.P("out/lr_bicubic/0000001.png"))),
        };

        yield return new("eval-existing-output", DataLoss, "`eval --output report.csv` where the report exists",
            async w =>
            {
                w.Save("sr/a.png", Flat(8, 8));
                File.WriteAllText(w.P("report.csv"), "precious");
                return await w.Eval("--sr", w.P("sr"), "--metrics", "niqe", "--output", w.P("report.csv"));
            },
            "exit 2", "already exists; pass --overwrite")
        {
            After = ("the report is unchanged", (w, _) => File.ReadAllText(w.P("report.csv")) == "precious"),
        };
    }
}
