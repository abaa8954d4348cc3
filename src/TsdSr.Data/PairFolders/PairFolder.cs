using System.Globalization;
using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Imaging;

namespace TsdSr.Data.PairFolders;

/// <summary>
/// Reads an offline pair folder (<see cref="PairFolderLayout"/>). Opening validates the whole layout: required
/// folders, integer file names, the same set of numbers in every present folder, supported file types.
/// </summary>
public sealed class PairFolder
{
    private readonly Dictionary<string, Dictionary<long, string>> folders;

    private PairFolder(string root, Dictionary<string, Dictionary<long, string>> folders, long[] indices)
    {
        Root = root;
        this.folders = folders;
        Indices = indices;
    }

    /// <summary>The folder (full path).</summary>
    public string Root { get; }

    /// <summary>The file numbers, ascending.</summary>
    public IReadOnlyList<long> Indices { get; }

    /// <summary>Number of pairs.</summary>
    public int Count => Indices.Count;

    /// <summary>Whether the optional sub-folder <paramref name="name"/> (e.g. <c>latent_hr</c>) is present.</summary>
    public bool Has(string name) => folders.ContainsKey(name);

    /// <summary>Opens and validates <paramref name="root"/>.</summary>
    /// <exception cref="PairFolderException">Missing, incomplete or mismatched folders, or bad file names.</exception>
    public static PairFolder Open(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new PairFolderException(full, "the folder does not exist.");
        }

        var found = new Dictionary<string, Dictionary<long, string>>(StringComparer.Ordinal);
        foreach (var name in PairFolderLayout.ImageFolders.Concat(PairFolderLayout.TensorFolders))
        {
            var dir = Path.Combine(full, name);
            if (Directory.Exists(dir))
            {
                found[name] = Scan(full, name, dir, PairFolderLayout.ImageFolders.Contains(name));
            }
        }

        foreach (var required in new[] { PairFolderLayout.Gt, PairFolderLayout.LrBicubic })
        {
            if (!found.ContainsKey(required))
            {
                throw new PairFolderException(full, $"the required sub-folder '{required}/' is missing (expected {PairFolderLayout.Gt}/ and {PairFolderLayout.LrBicubic}/).");
            }
        }

        var reference = found[PairFolderLayout.Gt].Keys.Order().ToArray();
        if (reference.Length == 0)
        {
            throw new PairFolderException(full, $"'{PairFolderLayout.Gt}/' holds no file.");
        }

        foreach (var (name, files) in found)
        {
            var missing = reference.Where(i => !files.ContainsKey(i)).ToArray();
            var extra = files.Keys.Where(i => !found[PairFolderLayout.Gt].ContainsKey(i)).Order().ToArray();
            if (missing.Length > 0 || extra.Length > 0)
            {
                throw new PairFolderException(full,
                    $"'{name}/' does not match '{PairFolderLayout.Gt}/': {Describe(missing, "missing")}{(missing.Length > 0 && extra.Length > 0 ? "; " : string.Empty)}{Describe(extra, "not in gt/")}.");
            }
        }

        return new PairFolder(full, found, reference);
    }

    /// <summary>Reads pair <paramref name="index"/> (a file number from <see cref="Indices"/>).</summary>
    /// <exception cref="PairFolderException">Unknown number, or gt and lr_bicubic sizes differ.</exception>
    public PairRecord Read(long index)
    {
        if (!folders[PairFolderLayout.Gt].ContainsKey(index))
        {
            throw new PairFolderException(Root, $"no pair numbered {index}.");
        }

        var tensors = new List<torch.Tensor>();
        try
        {
            var gt = Track(tensors, LoadImage(PairFolderLayout.Gt, index));
            var lrBicubic = Track(tensors, LoadImage(PairFolderLayout.LrBicubic, index));
            if (!gt.shape.SequenceEqual(lrBicubic.shape))
            {
                throw new PairFolderException(Root, $"pair {index}: {PairFolderLayout.Gt} is {gt.shape[3]}x{gt.shape[2]} but {PairFolderLayout.LrBicubic} is {lrBicubic.shape[3]}x{lrBicubic.shape[2]}.");
            }

            var lr = Has(PairFolderLayout.Lr) ? Track(tensors, LoadImage(PairFolderLayout.Lr, index)) : null;
            var latent = Has(PairFolderLayout.LatentHr) ? Track(tensors, LoadTensor(PairFolderLayout.LatentHr, index)) : null;
            var prompt = Has(PairFolderLayout.PromptEmbeds) ? Track(tensors, LoadTensor(PairFolderLayout.PromptEmbeds, index)) : null;
            var pool = Has(PairFolderLayout.PoolEmbeds) ? Track(tensors, LoadTensor(PairFolderLayout.PoolEmbeds, index)) : null;
            tensors.Clear();
            return new PairRecord(index, gt, lrBicubic, lr, latent, prompt, pool);
        }
        finally
        {
            tensors.ForEach(t => t.Dispose());
        }
    }

    private static torch.Tensor Track(List<torch.Tensor> list, torch.Tensor t)
    {
        list.Add(t);
        return t;
    }

    private torch.Tensor LoadImage(string folder, long index) => ImageTensors.ToTensor(ImageCodec.Load(folders[folder][index]));

    private torch.Tensor LoadTensor(string folder, long index)
    {
        var path = folders[folder][index];
        using var file = SafetensorsFile.Open(path);
        var key = file.Tensors.ContainsKey(folder) ? folder
            : file.Tensors.Count == 1 ? file.Tensors.Keys.First()
            : throw new PairFolderException(Root, $"'{path}' holds {file.Tensors.Count} tensors and none named '{folder}'.");
        return file.Read(key);
    }

    private static Dictionary<long, string> Scan(string root, string name, string dir, bool images)
    {
        var result = new Dictionary<long, string>();
        var bad = new List<string>();
        foreach (var path in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var ext = Path.GetExtension(file).ToLowerInvariant();
            var stem = Path.GetFileNameWithoutExtension(file);
            if (ext == ".pt" || ext == ".pth")
            {
                throw new PairFolderException(root, $"'{name}/{file}' is a PyTorch pickle; TsdSr reads tensors from .safetensors (convert it, e.g. with safetensors.torch.save_file).");
            }

            bool typeOk = images ? ext is ".png" or ".jpg" or ".jpeg" or ".webp" : ext == ".safetensors";
            if (!typeOk || !long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out long index))
            {
                bad.Add(file);
                continue;
            }

            if (!result.TryAdd(index, path))
            {
                throw new PairFolderException(root, $"'{name}/' has two files numbered {index}: '{Path.GetFileName(result[index])}' and '{file}'.");
            }
        }

        if (bad.Count > 0)
        {
            var expected = images ? "<integer>.png" : "<integer>.safetensors";
            throw new PairFolderException(root, $"'{name}/' has {bad.Count} file(s) not named {expected}: {string.Join(", ", bad.Take(5))}{(bad.Count > 5 ? ", ..." : string.Empty)}.");
        }

        return result;
    }

    private static string Describe(long[] indices, string what) => indices.Length == 0
        ? string.Empty
        : $"{indices.Length} {what} ({string.Join(", ", indices.Take(5))}{(indices.Length > 5 ? ", ..." : string.Empty)})";
}
