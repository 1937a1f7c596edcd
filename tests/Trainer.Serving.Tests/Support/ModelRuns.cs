using Trainer.Runs;

namespace Trainer.Serving.Tests.Support;

/// <summary>
/// A runs folder of copies of the fixture's real quick-fast run (<see cref="RunsFixture"/>): "with-model" holds a
/// hand-written model package (<see cref="ModelPackageSample"/>), "plain" none, "linked" a package whose weights.dat
/// is a symbolic link to the run's summary.json. The copies share a run id, so their ids are their folder names.
/// </summary>
public sealed class ModelRuns : IDisposable
{
    public const string WithModel = "with-model";
    public const string Plain = "plain";
    public const string Linked = "linked";

    public ModelRuns()
    {
        Root = Directory.CreateTempSubdirectory("trainer-serving-model-").FullName;
        foreach (var name in new[] { WithModel, Plain, Linked })
            CopyRun(Path.Combine(RunsFixture.Runs, "quick-fast"), Path.Combine(Root, name));
        ModelPackageSample.Write(Path.Combine(Root, WithModel));
        var linked = ModelPackageSample.Write(Path.Combine(Root, Linked));
        File.Delete(Path.Combine(linked, ModelPackageFiles.Weights));
        File.CreateSymbolicLink(Path.Combine(linked, ModelPackageFiles.Weights), Path.Combine(Root, Linked, RunFiles.Summary));
    }

    public string Root { get; }

    /// <summary>Copies a run directory's files and its plots (not its model or evaluation folders).</summary>
    public static void CopyRun(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        var plots = Path.Combine(from, RunFiles.Plots);
        if (!Directory.Exists(plots)) return;
        Directory.CreateDirectory(Path.Combine(to, RunFiles.Plots));
        foreach (var file in Directory.GetFiles(plots)) File.Copy(file, Path.Combine(to, RunFiles.Plots, Path.GetFileName(file)));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
