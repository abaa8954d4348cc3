using System.Runtime.InteropServices;
using TsdSr.Cli.Commands;
using TsdSr.Core.Files;

namespace TsdSr.Tests.Cli.Commands;

public sealed class TerminationSignalsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-signals-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(PosixSignal.SIGINT, "Ctrl+C (SIGINT)")]
    [InlineData(PosixSignal.SIGTERM, "SIGTERM")]
    public void The_first_signal_cancels_the_token_and_says_what_happens_next(PosixSignal signal, string name)
    {
        using var error = new StringWriter();
        int exits = 0;
        using var signals = new TerminationSignals(error, TerminationSignals.StoppingMessageFor("upscale"), () => exits++);

        bool suppressed = signals.Handle(signal);

        suppressed.Should().BeTrue("the process must not die of the signal itself");
        signals.Token.IsCancellationRequested.Should().BeTrue();
        exits.Should().Be(0);
        error.ToString().Should().Contain($"{name}: Stopping after the current image: finished outputs are kept, the image in progress is discarded (press Ctrl+C again to quit at once)");
    }

    [Fact]
    public void A_second_signal_removes_unfinished_temporaries_and_forces_the_exit()
    {
        using var error = new StringWriter();
        int exits = 0;
        using var signals = new TerminationSignals(error, "Stopping", () => exits++);
        var lease = TemporaryFiles.Create(Path.Combine(dir, "out.png"));
        File.WriteAllText(lease.Path, "half a png");

        signals.Handle(PosixSignal.SIGINT);
        signals.Handle(PosixSignal.SIGTERM);

        exits.Should().Be(1);
        File.Exists(lease.Path).Should().BeFalse();
        error.ToString().Should().Contain("SIGTERM again: quitting now; removed 1 unfinished temporary file(s).");
    }
}
