using System.CommandLine;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr photos</c>: builds the photo training pool from extracted Debian packages (docs/photo-pool.md).</summary>
internal static class PhotosCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "photos";

    public static Command Create()
    {
        var extracted = new Option<string>("--extracted") { Description = "Folder with one dpkg -x tree per package (PACKAGE/) and its version (PACKAGE.version).", Required = true, HelpName = "DIR" };
        var output = new Option<string>("--output") { Description = "Pool folder: train/, heldout/ and manifest.csv are written here.", Required = true, HelpName = "DIR" };
        var manifest = new Option<string?>("--manifest") { Description = "The committed manifest: checked against with --verify, else updated with the built rows.", HelpName = "FILE" };
        var verify = new Option<bool>("--verify") { Description = "Compare the built photos with --manifest (SHA-256 and every column); differences make the exit code 1." };
        var evaluation = new Option<string[]>("--evaluation") { Description = "Folder of evaluation images no pool photo may equal (repeatable).", HelpName = "DIR", AllowMultipleArgumentsPerToken = true };
        var optional = new Option<bool>("--optional") { Description = "Also build the optional sources (Enlightenment's 4K wallpapers) when their package is extracted." };
        var sheets = new Option<string?>("--contact-sheets") { Description = "Also write one contact sheet per source here (excluded photos framed red, held-out blue).", HelpName = "DIR" };

        var command = new Command(Name, "Build the photo training pool (train/ and heldout/ PNGs plus manifest.csv) from extracted Debian packages.")
        {
            extracted, output, manifest, verify, optional, evaluation, sheets,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new PhotosRequest(
                parse.GetValue(extracted)!,
                parse.GetValue(output)!,
                parse.GetValue(manifest),
                parse.GetValue(verify),
                parse.GetValue(optional),
                parse.GetValue(evaluation) ?? [],
                parse.GetValue(sheets));
            var config = parse.InvocationConfiguration;
            return Task.Run(() => PhotosRunner.Run(request, config.Output, config.Error, cancellationToken), cancellationToken);
        });
        return command;
    }
}
