using System.Globalization;
using System.Text.Json;
using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Training.Checkpoints;

/// <summary>
/// Saves and resumes training checkpoints atomically under one folder:
/// <list type="bullet">
/// <item>each save is written into <c>.tmp-checkpoint-…</c>, every file fsynced, <c>manifest.json</c> (sizes and
/// SHA-256 of the other files) last, then the folder is renamed to <c>checkpoint-{step:D8}</c>;</item>
/// <item>the <c>latest</c> pointer file is replaced (write, fsync, rename) only after that;</item>
/// <item>resume tries <c>latest</c>, then the other checkpoints newest first, skipping (with a log line) any without a
/// valid manifest or whose files do not match it; temporary folders are never read;</item>
/// <item>only the <see cref="KeepLast"/> newest checkpoints are kept.</item>
/// </list>
/// A run killed at any point therefore resumes from the last complete checkpoint.
/// </summary>
public sealed class CheckpointManager
{
    /// <summary>Name of the pointer file.</summary>
    public const string LatestFileName = "latest";

    /// <summary>Name of the manifest inside a checkpoint.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>Name of the state file inside a checkpoint.</summary>
    public const string StateFileName = "state.json";

    private const string Prefix = "checkpoint-";
    private const string TempPrefix = ".tmp-checkpoint-";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Action<string> log;

    /// <summary>Creates a manager for <paramref name="root"/> (created on the first save).</summary>
    /// <param name="root">The checkpoint folder.</param>
    /// <param name="keepLast">How many checkpoints to keep (at least 1).</param>
    /// <param name="log">Receives warnings (skipped checkpoints, clean-up); null discards them.</param>
    public CheckpointManager(string root, int keepLast = 3, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        Root = Path.GetFullPath(root);
        KeepLast = keepLast;
        this.log = log ?? (_ => { });
    }

    /// <summary>The checkpoint folder.</summary>
    public string Root { get; }

    /// <summary>How many checkpoints are kept.</summary>
    public int KeepLast { get; }

    /// <summary>The folder name of the checkpoint at <paramref name="step"/>.</summary>
    public static string FolderName(long step) => Prefix + step.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Complete-looking checkpoint folders (by name), newest step first.</summary>
    public IReadOnlyList<CheckpointInfo> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var list = new List<CheckpointInfo>();
        foreach (var dir in Directory.EnumerateDirectories(Root, Prefix + "*"))
        {
            var name = Path.GetFileName(dir);
            if (long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            {
                list.Add(new CheckpointInfo(dir, step));
            }
        }

        return list.OrderByDescending(c => c.GlobalStep).ToList();
    }

    /// <summary>Saves <paramref name="content"/> as the checkpoint of its global step and prunes old ones.</summary>
    /// <exception cref="CheckpointException">Writing failed (the previous checkpoints and <c>latest</c> are untouched).</exception>
    public CheckpointInfo Save(CheckpointContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        content.Validate();
        Directory.CreateDirectory(Root);
        var step = content.GlobalStep;
        var temp = Path.Combine(Root, TempPrefix + step.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        var final = Path.Combine(Root, FolderName(step));
        try
        {
            Directory.CreateDirectory(temp);
            WriteContent(temp, content);
            if (Directory.Exists(final))
            {
                // Re-saving a step (e.g. after resuming): move the old one aside first so the rename below is atomic.
                var old = Path.Combine(Root, TempPrefix + "replaced-" + Guid.NewGuid().ToString("N")[..8]);
                Directory.Move(final, old);
                Directory.Move(temp, final);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, final);
            }

            DurableFiles.ReplaceText(Path.Combine(Root, LatestFileName), FolderName(step) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDeleteDirectory(temp);
            throw new CheckpointException(final, $"saving failed: {e.Message}", e);
        }

        Prune(final);
        return new CheckpointInfo(final, step);
    }

    /// <summary>
    /// Restores the newest valid checkpoint into <paramref name="content"/> (adapters, optimisers, generators, step,
    /// extra values). Returns null when there is none.
    /// </summary>
    /// <exception cref="CheckpointException">A valid checkpoint does not fit the live objects (another model or config).</exception>
    public CheckpointInfo? TryResume(CheckpointContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        content.Validate();
        foreach (var candidate in Candidates())
        {
            var problem = Verify(candidate.Path);
            if (problem is not null)
            {
                log($"Checkpoint '{candidate.Path}' is unusable ({problem}); falling back to an older checkpoint.");
                continue;
            }

            Load(candidate.Path, content);
            return candidate with { GlobalStep = content.GlobalStep };
        }

        return null;
    }

    /// <summary>Why the checkpoint folder is unusable, or null when its manifest and files agree.</summary>
    public static string? Verify(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            return $"no {ManifestFileName}: the save did not complete";
        }

        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(manifestPath));
        }
        catch (JsonException e)
        {
            return $"{ManifestFileName} is not valid JSON: {e.Message}";
        }

        if (manifest is null || manifest.Files.Count == 0 || manifest.FormatVersion != 1)
        {
            return $"{ManifestFileName} is empty or of an unknown format";
        }

        foreach (var f in manifest.Files)
        {
            var path = Path.Combine(folder, f.Name);
            if (!File.Exists(path))
            {
                return $"'{f.Name}' is missing";
            }

            var size = new FileInfo(path).Length;
            if (size != f.Size)
            {
                return $"'{f.Name}' has {size} bytes, the manifest says {f.Size}";
            }

            if (!string.Equals(DurableFiles.Sha256(path), f.Sha256, StringComparison.Ordinal))
            {
                return $"'{f.Name}' does not match its SHA-256 in the manifest";
            }
        }

        return null;
    }

    private IEnumerable<CheckpointInfo> Candidates()
    {
        var all = List();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var latestPath = Path.Combine(Root, LatestFileName);
        if (File.Exists(latestPath))
        {
            var name = File.ReadAllText(latestPath).Trim();
            var match = all.FirstOrDefault(c => Path.GetFileName(c.Path) == name);
            if (match is null)
            {
                log($"'{latestPath}' names '{name}', which does not exist; looking at the other checkpoints.");
            }
            else
            {
                seen.Add(match.Path);
                yield return match;
            }
        }

        foreach (var c in all.Where(c => !seen.Contains(c.Path)))
        {
            yield return c;
        }
    }

    private static void WriteContent(string folder, CheckpointContent content)
    {
        var files = new List<string>();
        foreach (var slot in content.Adapters)
        {
            var name = $"adapter-{slot.Label}.safetensors";
            SafetensorsWriter.Save(Path.Combine(folder, name), LoraAdapters.StateDict(slot.Model, slot.Adapter));
            files.Add(name);
        }

        foreach (var slot in content.Modules)
        {
            var name = ModuleFileName(slot);
            SafetensorsWriter.Save(Path.Combine(folder, name), slot.Model.state_dict());
            files.Add(name);
        }

        foreach (var opt in content.Optimizers)
        {
            var name = $"optimizer-{opt.Name}.bin";
            DurableFiles.Write(Path.Combine(folder, name), opt.SaveState);
            files.Add(name);
        }

        var state = new CheckpointState
        {
            GlobalStep = content.GlobalStep,
            Generators = content.Generators.ToDictionary(g => g.Key, g => Convert.ToBase64String(g.Value.GetState()), StringComparer.Ordinal),
            Extra = new Dictionary<string, string>(content.Extra, StringComparer.Ordinal),
        };
        DurableFiles.WriteAllText(Path.Combine(folder, StateFileName), JsonSerializer.Serialize(state, Json));
        files.Add(StateFileName);

        var manifest = new CheckpointManifest
        {
            GlobalStep = content.GlobalStep,
            SavedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            Files = files.Select(f =>
            {
                var p = Path.Combine(folder, f);
                return new CheckpointFileEntry(f, new FileInfo(p).Length, DurableFiles.Sha256(p));
            }).ToList(),
        };
        DurableFiles.WriteAllText(Path.Combine(folder, ManifestFileName), JsonSerializer.Serialize(manifest, Json));
    }

    private static void Load(string folder, CheckpointContent content)
    {
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(folder, StateFileName)))
            ?? throw new CheckpointException(folder, $"{StateFileName} is empty.");
        var missing = content.Adapters.Select(a => $"adapter-{a.Label}.safetensors")
            .Concat(content.Modules.Select(ModuleFileName))
            .Concat(content.Optimizers.Select(o => $"optimizer-{o.Name}.bin"))
            .Where(f => !File.Exists(Path.Combine(folder, f)))
            .ToList();
        var missingGenerators = content.Generators.Keys.Where(k => !state.Generators.ContainsKey(k)).ToList();
        if (missing.Count > 0 || missingGenerators.Count > 0)
        {
            throw new CheckpointException(folder, $"it does not hold what this run trains: missing {string.Join(", ", missing.Concat(missingGenerators.Select(g => "generator " + g)))}.");
        }

        // Check every adapter before changing anything, so that a mismatch leaves the live model as it was.
        foreach (var slot in content.Adapters)
        {
            CheckAdapter(folder, slot);
        }

        foreach (var slot in content.Modules)
        {
            CheckTensors(Path.Combine(folder, ModuleFileName(slot)), slot.Model.state_dict(), $"model '{slot.Label}'");
        }

        foreach (var slot in content.Modules)
        {
            using var file = SafetensorsFile.Open(Path.Combine(folder, ModuleFileName(slot)));
            using var _ = no_grad();
            foreach (var (key, live) in slot.Model.state_dict())
            {
                using var value = file.Read(key);
                live.copy_(value);
            }
        }

        foreach (var slot in content.Adapters)
        {
            using var file = SafetensorsFile.Open(Path.Combine(folder, $"adapter-{slot.Label}.safetensors"));
            using var _ = no_grad();
            foreach (var (key, live) in LoraAdapters.StateDict(slot.Model, slot.Adapter))
            {
                using var value = file.Read(key);
                live.copy_(value);
            }
        }

        foreach (var opt in content.Optimizers)
        {
            using var fs = File.OpenRead(Path.Combine(folder, $"optimizer-{opt.Name}.bin"));
            try
            {
                opt.LoadState(fs);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                throw new CheckpointException(folder, $"optimizer '{opt.Name}' does not fit: {e.Message}", e);
            }
        }

        foreach (var (name, generator) in content.Generators)
        {
            generator.SetState(Convert.FromBase64String(state.Generators[name]));
        }

        content.GlobalStep = state.GlobalStep;
        content.Extra.Clear();
        foreach (var (k, v) in state.Extra)
        {
            content.Extra[k] = v;
        }
    }

    private static string ModuleFileName(ModuleSlot slot) => $"module-{slot.Label}.safetensors";

    private static void CheckAdapter(string folder, AdapterSlot slot) =>
        CheckTensors(Path.Combine(folder, $"adapter-{slot.Label}.safetensors"), LoraAdapters.StateDict(slot.Model, slot.Adapter), $"adapter '{slot.Adapter}' ({slot.Label})");

    private static void CheckTensors(string path, IReadOnlyDictionary<string, Tensor> live, string what)
    {
        using var file = SafetensorsFile.Open(path);
        var missing = live.Keys.Where(k => !file.Tensors.ContainsKey(k)).ToList();
        var extra = file.Tensors.Keys.Where(k => !live.ContainsKey(k)).ToList();
        var shapes = live.Where(kv => file.Tensors.TryGetValue(kv.Key, out var info) && !info.Shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} [{string.Join(", ", file.Tensors[kv.Key].Shape)}] vs [{string.Join(", ", kv.Value.shape)}]")
            .ToList();
        if (missing.Count > 0 || extra.Count > 0 || shapes.Count > 0)
        {
            throw new CheckpointException(path,
                $"{what} does not fit: {missing.Count} key(s) missing{(missing.Count > 0 ? $" (e.g. {missing[0]})" : string.Empty)}, " +
                $"{extra.Count} unexpected{(extra.Count > 0 ? $" (e.g. {extra[0]})" : string.Empty)}, {shapes.Count} shape mismatch(es){(shapes.Count > 0 ? $" (e.g. {shapes[0]})" : string.Empty)}.");
        }
    }

    private void Prune(string justSaved)
    {
        foreach (var old in List().Skip(KeepLast).Where(c => c.Path != justSaved))
        {
            TryDeleteDirectory(old.Path);
        }

        foreach (var temp in Directory.EnumerateDirectories(Root, TempPrefix + "*"))
        {
            // Leftovers of saves that were killed: never complete, never read.
            log($"Removing the leftover of an interrupted save: '{temp}'.");
            TryDeleteDirectory(temp);
        }
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"Could not delete '{path}': {e.Message}");
        }
    }
}
