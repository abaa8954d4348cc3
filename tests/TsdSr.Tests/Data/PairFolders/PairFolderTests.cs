using TsdSr.Data.PairFolders;
using TsdSr.Imaging;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Data.PairFolders;

public sealed class PairFolderTests : IDisposable
{
    private readonly string dir = DataTestImages.TempDir();

    private static Tensor Image(ulong seed, int size = 32) => ImageTensors.ToTensor(DataTestImages.Texture(size, size, seed));

    [Fact]
    public void Written_pairs_and_tensors_read_back_exactly_in_numeric_order()
    {
        var writer = new PairFolderWriter(dir);
        for (int i = 0; i < 3; i++)
        {
            using var gt = Image((ulong)i);
            using var lrb = Image((ulong)i + 10);
            using var lr = Image((ulong)i + 20, 8);
            using var latent = full(16, 4, 4, (float)i);
            using var prompt = full(3, 6, (float)i);
            using var pool = full(5, (float)i);
            writer.Write(i * 5, gt, lrb, lr, latent, prompt, pool);
        }

        writer.Written.Should().Be(3);
        File.Exists(Path.Combine(dir, "gt", "0000010.png")).Should().BeTrue();
        var folder = PairFolder.Open(dir);
        folder.Indices.Should().Equal(0, 5, 10);
        folder.Has(PairFolderLayout.LatentHr).Should().BeTrue();
        using var record = folder.Read(10);
        using var expectedGt = Image(2);
        TensorAssert.Close(record.Gt, expectedGt, 0);
        record.Lr!.shape.Should().Equal(1, 3, 8, 8);
        record.LatentHr!.shape.Should().Equal(16, 4, 4);
        record.PromptEmbeds![0, 0].item<float>().Should().Be(2f);
        record.PoolEmbeds!.shape.Should().Equal(5);
    }

    [Fact]
    public void Official_style_unpadded_numbers_are_read_by_value()
    {
        foreach (var n in new[] { 2, 10, 1 })
        {
            foreach (var sub in new[] { "gt", "lr_bicubic" })
            {
                ImageCodec.SavePng(DataTestImages.Texture(8, 8, (ulong)n), Path.Combine(dir, sub, $"{n}.png"));
            }
        }

        PairFolder.Open(dir).Indices.Should().Equal(1, 2, 10);
    }

    [Fact]
    public void A_missing_required_folder_is_named()
    {
        ImageCodec.SavePng(DataTestImages.Texture(8, 8, 1), Path.Combine(dir, "gt", "1.png"));
        var act = () => PairFolder.Open(dir);
        act.Should().Throw<PairFolderException>().WithMessage("*lr_bicubic/*missing*");
    }

    [Fact]
    public void Mismatched_numbers_are_listed()
    {
        Write("gt", 1, 2, 3, 4);
        Write("lr_bicubic", 1, 2, 4, 7);
        var act = () => PairFolder.Open(dir);
        act.Should().Throw<PairFolderException>().WithMessage("*'lr_bicubic/' does not match 'gt/': 1 missing (3); 1 not in gt/ (7)*");
    }

    [Fact]
    public void An_incomplete_optional_folder_is_an_error()
    {
        Write("gt", 1, 2);
        Write("lr_bicubic", 1, 2);
        using (var t = zeros(2))
        {
            SafetensorsWriterSave(Path.Combine(dir, "latent_hr", "1.safetensors"), t);
        }

        var act = () => PairFolder.Open(dir);
        act.Should().Throw<PairFolderException>().WithMessage("*latent_hr/*1 missing (2)*");
    }

    [Fact]
    public void Non_numeric_names_pickles_and_duplicates_are_rejected()
    {
        Write("gt", 1);
        Write("lr_bicubic", 1);
        File.WriteAllText(Path.Combine(dir, "gt", "cat.png"), string.Empty);
        var act = () => PairFolder.Open(dir);
        act.Should().Throw<PairFolderException>().WithMessage("*'gt/'*not named <integer>.png: cat.png*");

        File.Delete(Path.Combine(dir, "gt", "cat.png"));
        File.Copy(Path.Combine(dir, "gt", "1.png"), Path.Combine(dir, "gt", "001.png"));
        act.Should().Throw<PairFolderException>().WithMessage("*two files numbered 1*");

        File.Delete(Path.Combine(dir, "gt", "001.png"));
        Directory.CreateDirectory(Path.Combine(dir, "prompt_embeds"));
        File.WriteAllText(Path.Combine(dir, "prompt_embeds", "1.pt"), string.Empty);
        act.Should().Throw<PairFolderException>().WithMessage("*PyTorch pickle*safetensors*");
    }

    [Fact]
    public void Pairs_with_different_sizes_are_reported_when_read()
    {
        ImageCodec.SavePng(DataTestImages.Texture(8, 8, 1), Path.Combine(dir, "gt", "1.png"));
        ImageCodec.SavePng(DataTestImages.Texture(16, 8, 1), Path.Combine(dir, "lr_bicubic", "1.png"));
        var act = () => PairFolder.Open(dir).Read(1);
        act.Should().Throw<PairFolderException>().WithMessage("*pair 1: gt is 8x8 but lr_bicubic is 16x8*");
    }

    [Fact]
    public void The_writer_refuses_a_folder_that_already_holds_pairs()
    {
        Write("gt", 1);
        var act = () => new PairFolderWriter(dir);
        act.Should().Throw<PairFolderException>().WithMessage("*already holds files*");
        var allowed = () => new PairFolderWriter(dir, overwrite: true);
        allowed.Should().NotThrow();
    }

    private void Write(string sub, params int[] numbers)
    {
        foreach (var n in numbers)
        {
            ImageCodec.SavePng(DataTestImages.Texture(8, 8, (ulong)n), Path.Combine(dir, sub, $"{n}.png"));
        }
    }

    private static void SafetensorsWriterSave(string path, Tensor t) =>
        TsdSr.Core.SafeTensors.SafetensorsWriter.Save(path, [new("latent_hr", t)]);

    public void Dispose() => Directory.Delete(dir, true);
}
