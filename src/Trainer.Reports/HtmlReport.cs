using Trainer.Recipes;

namespace Trainer.Reports;

/// <summary>
/// <c>trainer report RUN_DIR</c>: writes the self-contained HTML report of a run directory or of an experiment
/// directory (one holding <c>experiment.json</c>), by default as <c>report.html</c> inside it.
/// </summary>
public static class HtmlReport
{
    /// <summary>The report's file name inside the directory it describes.</summary>
    public const string DefaultFileName = Trainer.Runs.RunFiles.Report;

    /// <summary>
    /// Writes the report and returns its full path. For an experiment, each variant's own report is written into the
    /// variant's folder first, so the experiment's page links to them. Problems with the arguments are
    /// <see cref="RecipeException"/>s naming RUN_DIR or --out and saying what to give instead.
    /// </summary>
    /// <param name="directory">A run directory (summary.json, recipe.json or metrics.csv) or an experiment directory (experiment.json).</param>
    /// <param name="outputPath">The HTML file to write. Default: report.html in <paramref name="directory"/>.</param>
    public static string Write(string directory, string? outputPath = null)
    {
        var full = Check(directory);
        var output = outputPath is null ? Path.Combine(full, DefaultFileName) : ReportFile.Resolve(outputPath, "--out");
        if (IsExperiment(full))
        {
            foreach (var variant in VariantFolders(full))
                ReportFile.TryWrite(Path.Combine(variant, DefaultFileName), () => RunReport.Render(variant));
            return ReportFile.Write(output, ExperimentReport.Render(full, output), outputPath is null ? null : "--out");
        }
        return ReportFile.Write(output, RunReport.Render(full, output), outputPath is null ? null : "--out");
    }

    /// <summary>True when <paramref name="directory"/> holds experiment.json.</summary>
    public static bool IsExperiment(string directory) => File.Exists(Path.Combine(directory, ExperimentManifest.FileName));

    /// <summary>True when <paramref name="directory"/> holds any file a run writes: summary.json, recipe.json or metrics.csv.</summary>
    public static bool IsRun(string directory) => RunFolder.Recognise(directory);

    private static string Check(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
            throw new RecipeException("RUN_DIR is empty: give a run directory such as runs/<run-id>, or an experiment directory.");
        string full;
        try
        {
            full = Path.GetFullPath(directory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RecipeException($"RUN_DIR '{directory}' is not a valid path: {e.Message}");
        }
        if (File.Exists(full))
            throw new RecipeException($"RUN_DIR '{directory}' is a file; give the run directory that holds it, e.g. '{Path.GetDirectoryName(full)}'.");
        if (!Directory.Exists(full))
            throw new RecipeException($"RUN_DIR '{directory}' does not exist; give a run directory made by 'trainer run' (runs/<run-id>) or an experiment directory.");
        if (!IsExperiment(full) && !IsRun(full))
            throw new RecipeException($"RUN_DIR '{directory}' is not a run or experiment directory: it has no summary.json, recipe.json, metrics.csv or experiment.json; " +
                                      "give a folder made by 'trainer run' (runs/<run-id>) or an experiment directory.");
        return full;
    }

    private static IEnumerable<string> VariantFolders(string experiment)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var variant in ExperimentManifest.Read(Path.Combine(experiment, ExperimentManifest.FileName)).Variants)
                folders.Add(Path.GetFullPath(Path.Combine(experiment, variant.Directory is { Length: > 0 } d ? d : Path.Combine(ExperimentReport.VariantsFolder, variant.Name))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // The experiment's page says the manifest is unreadable; the folders found on disk still get their reports.
        }
        var root = Path.Combine(experiment, ExperimentReport.VariantsFolder);
        if (Directory.Exists(root)) folders.UnionWith(Directory.GetDirectories(root).Select(Path.GetFullPath));
        return folders.Where(f => Directory.Exists(f) && IsRun(f)).Order(StringComparer.Ordinal);
    }
}
