using TsdSr.Core.Devices;

namespace TsdSr.Tests.Core.Devices;

public sealed class DtypeNamesTests
{
    [Theory]
    [InlineData("bf16", ScalarType.BFloat16)]
    [InlineData("Float16", ScalarType.Float16)]
    [InlineData(" fp32 ", ScalarType.Float32)]
    [InlineData("half", ScalarType.Float16)]
    public void Dtype_names_parse(string text, ScalarType expected)
    {
        DtypeNames.Parse(text).Should().Be(expected);
    }

    [Fact]
    public void Unknown_dtype_names_are_rejected_with_the_accepted_names()
    {
        FluentActions.Invoking(() => DtypeNames.Parse("int8")).Should().Throw<ArgumentException>().WithMessage("*'int8'*fp32, bf16 or fp16*");
        DtypeNames.TryParse("int8", out _).Should().BeFalse();
        DtypeNames.TryParse(null, out _).Should().BeFalse();
    }

    [Fact]
    public void Every_short_name_round_trips()
    {
        DtypeNames.Names.Should().Equal("fp32", "bf16", "fp16");
        DtypeNames.Names.Select(n => DtypeNames.Name(DtypeNames.Parse(n))).Should().Equal(DtypeNames.Names);
        FluentActions.Invoking(() => DtypeNames.Name(ScalarType.Int8)).Should().Throw<ArgumentException>();
    }
}
