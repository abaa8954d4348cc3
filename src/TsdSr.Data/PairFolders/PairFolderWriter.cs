using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Imaging;

namespace TsdSr.Data.PairFolders;

/// <summary>Writes pairs in the <see cref="PairFolderLayout"/> layout (8-bit PNG images, single-tensor safetensors).</summary>
public sealed class PairFolderWriter
{
    /// <summary>Prepares <paramref name="root"/>; refuses a folder that already holds pairs unless <paramref name="overwrite"/>.</summary>
    /// <exception cref="PairFolderException">The folder already has files in gt/ and overwriting was not allowed.</exception>
    public PairFolderWriter(string root, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        var gt = Path.Combine(Root, PairFolderLayout.Gt);
        if (!overwrite && Directory.Exists(gt) && Directory.EnumerateFileSystemEntries(gt).Any())
        {
            throw new PairFolderException(Root, $"'{PairFolderLayout.Gt}/' already holds files; choose an empty output folder or allow overwriting.");
        }

        Directory.CreateDirectory(gt);
        Directory.CreateDirectory(Path.Combine(Root, PairFolderLayout.LrBicubic));
    }

    /// <summary>The folder (full path).</summary>
    public string Root { get; }

    /// <summary>Pairs written by this writer.</summary>
    public long Written { get; private set; }

    /// <summary>
    /// Writes pair <paramref name="index"/>. Images are [1, 3, H, W] or [3, H, W] in [0, 1], rounded to 8 bits; gt and
    /// lrBicubic must have the same size. Optional tensors go to their folders under the key of the folder name.
    /// </summary>
    public void Write(long index, torch.Tensor gt, torch.Tensor lrBicubic, torch.Tensor? lr = null, torch.Tensor? latentHr = null, torch.Tensor? promptEmbeds = null, torch.Tensor? poolEmbeds = null)
    {
        ArgumentNullException.ThrowIfNull(gt);
        ArgumentNullException.ThrowIfNull(lrBicubic);
        if (!gt.shape.SequenceEqual(lrBicubic.shape))
        {
            throw new ArgumentException($"gt [{string.Join(",", gt.shape)}] and lr_bicubic [{string.Join(",", lrBicubic.shape)}] must have the same shape.", nameof(lrBicubic));
        }

        SaveImage(PairFolderLayout.Gt, index, gt);
        SaveImage(PairFolderLayout.LrBicubic, index, lrBicubic);
        if (lr is not null)
        {
            SaveImage(PairFolderLayout.Lr, index, lr);
        }

        SaveTensor(PairFolderLayout.LatentHr, index, latentHr);
        SaveTensor(PairFolderLayout.PromptEmbeds, index, promptEmbeds);
        SaveTensor(PairFolderLayout.PoolEmbeds, index, poolEmbeds);
        Written++;
    }

    /// <summary>Whether pair <paramref name="index"/> has all its image files (gt, lr_bicubic, and lr when <paramref name="withLr"/>).</summary>
    public bool IsComplete(long index, bool withLr) =>
        (withLr ? PairFolderLayout.ImageFolders : [PairFolderLayout.Gt, PairFolderLayout.LrBicubic])
            .All(f => File.Exists(Path.Combine(Root, f, PairFolderLayout.FileName(index, ".png"))));

    /// <summary>Pair <paramref name="index"/>'s gt and its LR (lr/ when present, else lr_bicubic/) as [1, 3, H, W] tensors in [0, 1]; the caller owns them.</summary>
    public (torch.Tensor Gt, torch.Tensor Lr) ReadBack(long index)
    {
        string PathOf(string folder) => Path.Combine(Root, folder, PairFolderLayout.FileName(index, ".png"));
        var lr = File.Exists(PathOf(PairFolderLayout.Lr)) ? PathOf(PairFolderLayout.Lr) : PathOf(PairFolderLayout.LrBicubic);
        return (ImageTensors.ToTensor(ImageCodec.Load(PathOf(PairFolderLayout.Gt))), ImageTensors.ToTensor(ImageCodec.Load(lr)));
    }

    /// <summary>
    /// Removes the numbered pair files (and only those) from every pair sub-folder of <paramref name="root"/>, so that a
    /// run started again leaves no pair of the old one behind.
    /// </summary>
    public static void RemovePairs(string root)
    {
        foreach (var folder in PairFolderLayout.ImageFolders.Concat(PairFolderLayout.TensorFolders))
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(dir).Where(f => IsPairFile(Path.GetFileName(f))).ToList())
            {
                File.Delete(file);
            }
        }
    }

    private static bool IsPairFile(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        return stem.Length > 0 && stem.All(char.IsAsciiDigit) && Path.GetExtension(name) is ".png" or ".safetensors";
    }

    private void SaveImage(string folder, long index, torch.Tensor image) =>
        ImageCodec.SavePng(ImageTensors.FromTensor(image, ByteConversion.Round), Path.Combine(Root, folder, PairFolderLayout.FileName(index, ".png")));

    private void SaveTensor(string folder, long index, torch.Tensor? tensor)
    {
        if (tensor is null)
        {
            return;
        }

        using var cpu = tensor.detach().cpu().contiguous();
        SafetensorsWriter.Save(Path.Combine(Root, folder, PairFolderLayout.FileName(index, ".safetensors")), [new(folder, cpu)]);
    }
}
