namespace Trainer.Runs;

/// <summary>
/// The layout of a run directory, named once: every writer and reader of runs (the loop, the host, search and
/// experiments, the reports, the dashboard, the plugins) takes its file and folder names from here.
/// </summary>
public static class RunFiles
{
    /// <summary>The structured log (Serilog compact JSON).</summary>
    public const string Log = "log.clef";

    /// <summary>One row per finished epoch.</summary>
    public const string Metrics = "metrics.csv";

    /// <summary>How the run ended, its final metrics and timings.</summary>
    public const string Summary = "summary.json";

    /// <summary>The resolved recipe the run trained with.</summary>
    public const string Recipe = "recipe.json";

    /// <summary>The input standardisation fitted on the training split.</summary>
    public const string Normalization = "normalization.json";

    /// <summary>The task: kind, loss, metrics, outputs, class names, target scaling.</summary>
    public const string Task = "task.json";

    /// <summary>The encoding a table's columns got from the training split (<c>Data:Target</c> of the csv source).</summary>
    public const string Table = "table.json";

    /// <summary>Where a serving run listens (<c>trainer run --serve</c>).</summary>
    public const string Endpoint = "endpoint.json";

    /// <summary>The HTML report <c>trainer report</c> writes.</summary>
    public const string Report = "report.html";

    /// <summary>The run's pictures.</summary>
    public const string Plots = "plots";

    /// <summary>The Checkpoint plugin's files.</summary>
    public const string Checkpoints = "checkpoints";

    /// <summary>The TensorBoard plugin's event files (its default folder).</summary>
    public const string TensorBoard = "tensorboard";

    /// <summary>The model package: the tested weights and everything needed to use them (<see cref="ModelPackageFiles"/>).</summary>
    public const string Model = "model";

    /// <summary>What <c>trainer evaluate</c> writes for a run's model by default (metrics, per-class report, confusion matrix).</summary>
    public const string Evaluation = "evaluation";

    /// <summary>The files a run writes first: a folder holding any of them is a run directory.</summary>
    public static readonly IReadOnlyList<string> FirstFiles = [Summary, Recipe, Metrics];

    /// <summary>The folders inside a run directory, which are never run directories themselves.</summary>
    public static readonly IReadOnlyList<string> Folders = [Plots, Checkpoints, TensorBoard, Model, Evaluation];

    /// <summary>True when <paramref name="directory"/> holds any of <see cref="FirstFiles"/>.</summary>
    public static bool IsRun(string directory) => FirstFiles.Any(f => File.Exists(Path.Combine(directory, f)));
}
