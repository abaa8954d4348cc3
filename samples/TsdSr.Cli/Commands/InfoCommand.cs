using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Core.Layout;
using TsdSr.Inference;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr info</c>: loads a diffusers model folder and reports what it holds.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model")
        {
            Description = "A diffusers folder: a pipeline root (transformer/, vae/), a component folder, or a Hugging Face cache snapshot (default: the bundled TSD-SR-nano model).",
        };
        var dtype = new Option<string>("--dtype") { Description = "Weight dtype: fp32, bf16 or fp16.", DefaultValueFactory = _ => "fp32" };
        dtype.AcceptOnlyFromAmong("fp32", "bf16", "fp16");
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };

        var command = new Command("info", "Load a diffusers model folder and print its configuration, parameter count, dtype, device and load time.")
        {
            model, dtype, device,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var folder = parse.GetValue(model)?.FullName;
                if (folder is null)
                {
                    var bundled = BundledModel.TryFind();
                    if (bundled is null)
                    {
                        error.WriteLine($"error: no --model given and no bundled model in '{BundledModel.DefaultDirectory}'.");
                        return ExitCodes.SetupFailed;
                    }

                    folder = bundled.ModelDirectory;
                    output.WriteLine($"Bundled model TSD-SR-nano (LoRA '{bundled.LoraDirectory}', embeddings '{bundled.EmbeddingsDirectory}')");
                }

                Run(output, folder, DtypeNames.Parse(parse.GetValue(dtype)!), DeviceSelector.Resolve(parse.GetValue(device)!));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or UnauthorizedAccessException
                                          or System.Runtime.InteropServices.ExternalException or TorchBackendException or Core.StateDicts.WeightLoadException
                                          or Core.SafeTensors.SafetensorsFormatException)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.SomeFailed;   // the one input, the model folder, could not be read
            }
        });
        return command;
    }

    private static void Run(TextWriter output, string path, torch.ScalarType dtype, torch.Device device)
    {
        var components = Components(path);
        output.WriteLine($"Model folder  {DiffusersLayout.ResolveRoot(path)}");
        foreach (var (name, paths) in components)
        {
            var sw = Stopwatch.StartNew();
            using var module = Load(paths, dtype, device, out var configText);
            sw.Stop();
            long parameters = module.parameters().Sum(p => p.numel());
            output.WriteLine();
            output.WriteLine($"[{name}]  {module.GetType().Name}");
            output.WriteLine($"  weights     {paths.WeightsPath}");
            output.WriteLine($"  parameters  {parameters:N0}");
            output.WriteLine($"  dtype       {module.parameters().First().dtype}");
            output.WriteLine($"  device      {module.parameters().First().device}");
            output.WriteLine($"  load time   {sw.Elapsed.TotalSeconds:F2} s");
            output.WriteLine("  config");
            foreach (var line in configText.Split('\n'))
            {
                output.WriteLine("    " + line.TrimEnd());
            }
        }
    }

    private static List<(string Name, DiffusersComponentPaths Paths)> Components(string path)
    {
        var root = DiffusersLayout.ResolveRoot(path);
        var ownConfig = Path.Combine(root, DiffusersLayout.ConfigFileName);
        if (File.Exists(ownConfig))
        {
            var cls = ClassName(ownConfig);
            var component = cls switch
            {
                "SD3Transformer2DModel" => "transformer",
                "AutoencoderKL" => "vae",
                _ => throw new InvalidDataException($"'{ownConfig}' describes a {cls ?? "model without _class_name"}; TsdSr reads SD3Transformer2DModel and AutoencoderKL."),
            };
            var parent = Path.GetDirectoryName(root)!;
            return [(component, DiffusersLayout.Resolve(Path.GetFileName(root) == component ? parent : root, component))];
        }

        var found = new[] { "transformer", "vae" }.Where(c => Directory.Exists(Path.Combine(root, c))).ToList();
        if (found.Count == 0)
        {
            throw new DirectoryNotFoundException($"'{root}' has neither a config.json nor transformer/ or vae/ subfolders.");
        }

        return found.Select(c => (c, DiffusersLayout.Resolve(root, c))).ToList();
    }

    private static string? ClassName(string configPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
        return doc.RootElement.TryGetProperty("_class_name", out var c) ? c.GetString() : null;
    }

    // The config is shown as diffusers writes it (snake_case keys such as num_layers, _class_name), so it reads like the
    // config.json beside the weights.
    private static torch.nn.Module Load(DiffusersComponentPaths paths, torch.ScalarType dtype, torch.Device device, out string configText)
    {
        if (paths.Component == "transformer")
        {
            var t = SD3Transformer2DModel.FromPretrained(paths.Directory, dtype, device);
            configText = t.Config.ToJson();
            return t;
        }

        var v = AutoencoderKL.FromPretrained(paths.Directory, dtype, device);
        configText = v.Config.ToJson();
        return v;
    }
}
