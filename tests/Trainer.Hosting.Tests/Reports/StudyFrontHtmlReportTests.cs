using Trainer.Hosting.Tests.Support;
using Trainer.Reports;
using Trainer.Search;

namespace Trainer.Hosting.Tests.Reports;

public sealed class StudyFrontHtmlReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 13, 0, 0, TimeSpan.Zero);

    private static TrialRecord Trial(int number, TrialState state, double[]? values) =>
        new(number, state, new Dictionary<string, string> { ["Model:Hidden:0"] = $"{8 * (number + 1)}" }, [0.5], values?[0], null, Start, Start.AddSeconds(5), null,
            Values: values);

    [Test]
    public void AMultiObjectiveStudyShowsItsFrontBestFirstAndTheParetoPlot()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var spec = new SearchSpec
        {
            Study = "two", Objective = "val_accuracy", Maximize = true, Trials = 4, Seed = 1, Sampler = new RandomSampler(), Pruner = "None",
            Objectives = [new("val_accuracy", true), new("parameter_count", false)], Space = [("Model:Hidden:0", new IntLogUniformDistribution(2, 64))],
        };
        // Trial 1 is dominated by trial 0; trial 3 failed.
        TrialRecord[] trials = [Trial(0, TrialState.Complete, [0.9, 500]), Trial(1, TrialState.Complete, [0.8, 800]), Trial(2, TrialState.Complete, [0.95, 2000]),
            Trial(3, TrialState.Failed, null)];

        var html = StudyHtmlReport.Render(spec, trials);

        Assert.That(html, Does.Contain("<dt>Objective</dt><dd>maximize val_accuracy, minimize parameter_count</dd>"));
        var rows = ReportHtml.Rows(html, "pareto-front");
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0], Does.Contain("title=\"2\"").And.Contain("title=\"2000\""), "best accuracy first");
        Assert.That(rows[1], Does.Contain("title=\"0\"").And.Contain("title=\"500\""));
        Assert.That(html, Does.Contain("alt=\"pareto-front\""));
        ReportHtml.AssertSelfContained(html);
    }
}
