using Trainer.Runs;
using Trainer.Tasks;

namespace Trainer.Reports;

/// <summary>
/// The run report's "Evaluation" section, from <c>evaluation/</c> (<c>trainer evaluate</c>): what was evaluated, the
/// loss and metrics, the per-class table and confusion matrix of a classifier, and the confusion heat map embedded.
/// </summary>
internal static class EvaluationSection
{
    public const string Id = "evaluation";

    public static bool Present(string runDirectory) => Directory.Exists(EvaluationFiles.DefaultFolder(runDirectory));

    public static void Render(HtmlPage page, string runDirectory)
    {
        var folder = EvaluationFiles.DefaultFolder(runDirectory);
        page.Heading(2, "Evaluation", Id);
        EvaluationResult? evaluation = null;
        try
        {
            evaluation = EvaluationFile.Read(folder);
        }
        catch (FileNotFoundException)
        {
            page.Notice("Missing files:", [$"{RunFiles.Evaluation}/{EvaluationFiles.Results} is missing: 'trainer evaluate' did not finish writing it."], id: "evaluation-missing");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            page.Notice("Unreadable files:", [$"{RunFiles.Evaluation}/{EvaluationFiles.Results} could not be read: {e.Message}"], error: true, id: "evaluation-unreadable");
        }
        if (evaluation is not null)
        {
            page.Facts(
            [
                ("Model", evaluation.Model is { Length: > 0 } model ? model : "—"),
                ("Data", evaluation.Data is { Length: > 0 } data ? data : "—"),
                ("Examples", evaluation.Examples.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)),
                ("Evaluated", evaluation.CreatedAt == default ? "—" : ReportFormat.Time(evaluation.CreatedAt)),
            ], "evaluation-facts");
            var metrics = new Dictionary<string, double>(evaluation.Metrics);
            if (!double.IsNaN(evaluation.Loss)) metrics.TryAdd("loss", evaluation.Loss);
            RunReport.FinalMetrics(page, metrics, "evaluation-metrics");
            if (evaluation.Classification is { } classification) Classes(page, classification);
        }
        if (File.Exists(Path.Combine(folder, EvaluationFiles.ConfusionPlot)))
            page.Notice("Evaluation pictures:", page.Plots(folder, RunFiles.Evaluation, [EvaluationFiles.ConfusionPlot]));
    }

    private static void Classes(HtmlPage page, EvaluationClassification classification)
    {
        page.Heading(3, "Per class");
        var rows = classification.Classes.Select(c => Row(c, null)).ToList();
        if (classification.MacroAverage is { } macro) rows.Add(Row(macro, "average"));
        if (classification.WeightedAverage is { } weighted) rows.Add(Row(weighted, "average"));
        page.Table("evaluation-classes", ["Class", "Precision", "Recall", "F1", "Support"], rows);
        page.Paragraph($"Accuracy {ReportFormat.Number(classification.Accuracy)}; precision, recall and F1 are 0 where their denominator is (scikit-learn's zero_division=0).");

        var k = classification.ClassNames.Count;
        const int largest = 50;
        if (k > largest)
        {
            page.Paragraph($"The confusion matrix has {k} classes; the table is left out above {largest} (see evaluation.json).", "muted");
            return;
        }
        page.Heading(3, "Confusion matrix");
        page.Paragraph("Rows: the actual class; columns: the predicted class.");
        page.Table("evaluation-confusion", ["actual \\ predicted", .. classification.ClassNames], Enumerable.Range(0, k).Select(a => (IReadOnlyList<HtmlCell>)
            [HtmlCell.Text(classification.ClassNames[a]), .. classification.Confusion[a].Select((n, p) => HtmlCell.Number(n, p == a ? "best" : null, integerColumn: true))]));
    }

    private static IReadOnlyList<HtmlCell> Row(ClassScores scores, string? @class) =>
        [HtmlCell.Text(scores.Name, @class), HtmlCell.Number(scores.Precision), HtmlCell.Number(scores.Recall), HtmlCell.Number(scores.F1), HtmlCell.Number(scores.Support, integerColumn: true)];
}
