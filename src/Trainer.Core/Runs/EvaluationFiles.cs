namespace Trainer.Runs;

/// <summary>
/// The layout of an evaluation folder (<c>RUN_DIR/evaluation/</c> by default, <see cref="RunFiles.Evaluation"/>), named
/// once: <c>trainer evaluate</c> writes it, the report and the dashboard read it.
/// </summary>
public static class EvaluationFiles
{
    /// <summary>The results (JSON): loss, metrics and, for a classifier, the per-class report and confusion matrix.</summary>
    public const string Results = "evaluation.json";

    /// <summary>The confusion matrix as a PNG heat map (classifiers only).</summary>
    public const string ConfusionPlot = "confusion.png";

    /// <summary>The default evaluation folder of the run in <paramref name="runDirectory"/>.</summary>
    public static string DefaultFolder(string runDirectory) => Path.Combine(runDirectory, RunFiles.Evaluation);
}
