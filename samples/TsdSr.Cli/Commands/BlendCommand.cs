using System.CommandLine;
using System.Globalization;
using TsdSr.Models.Lora;

namespace TsdSr.Cli.Commands;

/// <summary>
/// <c>tsdsr blend</c>: weight-space arithmetic on LoRA adapters (<see cref="LoraBlend"/>): averages of fine-tunes, or
/// extrapolation along the difference of two fine-tunes from one start. Works on single files or on adapter folders
/// (every <c>*.safetensors</c> file, e.g. a student's transformer.safetensors and vae.safetensors).
/// </summary>
internal static class BlendCommand
{
    public static Command Create()
    {
        var terms = new Option<string[]>("--term")
        {
            Description = "WEIGHT=PATH: a LoRA file or folder and its weight (repeat; e.g. --term 1.5=a --term=-0.5=b).",
            Required = true,
            HelpName = "WEIGHT=PATH",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string>("--output") { Description = "The file (file inputs) or folder (folder inputs) to write.", Required = true, HelpName = "PATH" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace output files that exist." };
        var command = new Command("blend", "Combine LoRA adapters of one layout in weight space: every tensor becomes the weighted sum of the inputs' tensors.")
        {
            terms, output, overwrite,
        };
        command.SetAction(parse =>
        {
            var parsed = new List<(double Weight, string Path)>();
            foreach (var term in parse.GetValue(terms) ?? [])
            {
                int eq = term.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !double.TryParse(term[..eq], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !double.IsFinite(weight))
                {
                    Console.Error.WriteLine($"--term must be WEIGHT=PATH with a finite number as WEIGHT, got '{term}'.");
                    return ExitCodes.SetupFailed;
                }

                parsed.Add((weight, Path.GetFullPath(term[(eq + 1)..])));
            }

            var target = Path.GetFullPath(parse.GetValue(output)!);
            var jobs = Plan(parsed, target, out var error);
            if (jobs is null)
            {
                Console.Error.WriteLine(error);
                return ExitCodes.SetupFailed;
            }

            var existing = jobs.Select(j => j.Output).Where(File.Exists).ToList();
            if (existing.Count > 0 && !parse.GetValue(overwrite))
            {
                Console.Error.WriteLine($"{string.Join(", ", existing.Select(e => $"'{e}'"))} exist(s); pass --overwrite to replace.");
                return ExitCodes.SetupFailed;
            }

            try
            {
                // LoraBlend combines every file before it writes any, so a mismatch in one leaves no half-written folder.
                LoraBlend.SaveAll(jobs.Select(j => (j.Output, (IReadOnlyList<(double, string)>)j.Inputs)).ToList(), parse.GetValue(overwrite));
            }
            catch (Exception e) when (e is LoraBlendException or IOException or InvalidDataException or FormatException or UnauthorizedAccessException or ArgumentException)
            {
                Console.Error.WriteLine(e.Message);
                return ExitCodes.SetupFailed;
            }

            foreach (var (file, _) in jobs)
            {
                Console.WriteLine($"{file} = {Formula(parsed)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One output file per input file (file inputs) or per file name the input folders share (folder inputs).</summary>
    private static List<(string Output, List<(double Weight, string Path)> Inputs)>? Plan(List<(double Weight, string Path)> terms, string target, out string error)
    {
        error = string.Empty;
        if (terms.Count == 0)
        {
            error = "Give at least one --term.";
            return null;
        }

        var missing = terms.Where(t => !File.Exists(t.Path) && !Directory.Exists(t.Path)).ToList();
        if (missing.Count > 0)
        {
            error = $"No LoRA file or folder at {string.Join(", ", missing.Select(m => $"'{m.Path}'"))}.";
            return null;
        }

        if (terms.All(t => File.Exists(t.Path)))
        {
            if (Directory.Exists(target))
            {
                error = $"The inputs are files, so --output must be a file; '{target}' is a folder.";
                return null;
            }

            return [(target, terms)];
        }

        if (!terms.All(t => Directory.Exists(t.Path)))
        {
            error = "Give either files or folders as --term paths, not both.";
            return null;
        }

        if (File.Exists(target))
        {
            error = $"The inputs are folders, so --output must be a folder; '{target}' is a file.";
            return null;
        }

        static SortedSet<string> Names(string folder) =>
            new(Directory.EnumerateFiles(folder, "*.safetensors").Select(f => Path.GetFileName(f)!), StringComparer.Ordinal);

        var names = Names(terms[0].Path);
        if (names.Count == 0)
        {
            error = $"'{terms[0].Path}' holds no .safetensors file.";
            return null;
        }

        foreach (var (_, folder) in terms.Skip(1))
        {
            var other = Names(folder);
            if (!other.SetEquals(names))
            {
                error = $"'{folder}' holds [{string.Join(", ", other)}] but '{terms[0].Path}' holds [{string.Join(", ", names)}]; folders must hold the same files.";
                return null;
            }
        }

        return names.Select(n => (Path.Combine(target, n), terms.Select(t => (t.Weight, Path.Combine(t.Path, n))).ToList())).ToList();
    }

    /// <summary>The blend as a sum, e.g. <c>1.5 × runs/a − 0.5 × runs/b</c> (paths relative to the working folder).</summary>
    private static string Formula(List<(double Weight, string Path)> terms) =>
        string.Concat(terms.Select((t, i) =>
        {
            var magnitude = Math.Abs(t.Weight).ToString("R", CultureInfo.InvariantCulture);
            var sign = t.Weight < 0 ? (i == 0 ? "−" : " − ") : (i == 0 ? string.Empty : " + ");
            return $"{sign}{magnitude} × {Path.GetRelativePath(Environment.CurrentDirectory, t.Path)}";
        }));
}
