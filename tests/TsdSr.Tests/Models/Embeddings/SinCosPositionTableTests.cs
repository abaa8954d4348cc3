using TsdSr.Core.SafeTensors;
using TsdSr.Models.Embeddings;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Embeddings;

/// <summary>The 2-D sine-cosine table against the one diffusers stored in the fixtures.</summary>
public class SinCosPositionTableTests
{
    [Theory]
    [InlineData("sd3_transformer_tiny")]
    [InlineData("sd35_transformer_tiny")]
    public void The_table_equals_the_stored_diffusers_buffer(string fixture)
    {
        using var file = SafetensorsFile.Open(FixturePaths.Get(fixture, "diffusion_pytorch_model.safetensors"));
        using var stored = file.Read("pos_embed.pos_embed");

        // Fixture config: D 32, M 24, base size = sample_size / patch_size = 8.
        using var table = SinCosPositionTable.Create(32, 24, 8);

        table.dtype.Should().Be(ScalarType.Float32);
        TensorAssert.Close(table, stored, 1e-6);
    }

    [Fact]
    public void The_embedding_dimension_must_be_a_multiple_of_four()
    {
        var create = () => SinCosPositionTable.Create(30, 4, 2);

        create.Should().Throw<ArgumentException>();
    }
}
