using TsdSr.Inference;

namespace TsdSr.Nano;

/// <summary>
/// TSD-SR-nano, the model this package copies to <c>tsdsr-nano/</c> in the application's output folder. Nothing needs
/// to call this class: <c>services.AddTsdSr()</c> and <c>TsdSrOptions</c> with no model folders use the bundled model.
/// It is here for code that wants the folders explicitly (for example to pass them to <c>TsdSrPipeline.Load</c>).
/// </summary>
public static class NanoModel
{
    /// <summary>The model folder in the application's output folder.</summary>
    public static string Directory => BundledModel.DefaultDirectory;

    /// <summary>The three weight locations of the bundled model.</summary>
    /// <exception cref="DirectoryNotFoundException">The model folder is not in the output folder (the package's content was not copied).</exception>
    public static TsdSrModelPaths Paths => BundledModel.TryFind()
        ?? throw new DirectoryNotFoundException($"TSD-SR-nano is not in '{Directory}': the TsdSr.Nano package copies it there at build; check that its content files are not excluded.");
}
