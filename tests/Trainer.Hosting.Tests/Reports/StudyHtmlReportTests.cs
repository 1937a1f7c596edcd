using System.Globalization;
using Trainer.Reports;
using Trainer.Search;
using Trainer.Hosting.Tests.Support;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Reports;

public sealed class StudyHtmlReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 13, 0, 0, TimeSpan.Zero);

    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = TempFolder.AsWorkingDirectory();

    [TearDown]
    public void TearDown() => folder.Dispose();

    internal static SearchSpec Spec(string study = "digits-search") => new()
    {
        Study = study, Objective = "val_accuracy", Maximize = true, Trials = 5, Seed = 1,
        Space = [("Optimizer:LearningRate", new LogUniformDistribution(1e-4, 1)), ("Optimizer:Kind", new CategoricalDistribution(["adam", "sgd", "<b>x</b>"]))],
        Sampler = new RandomSampler(), Pruner = "None",
    };

    internal static TrialRecord Trial(int number, TrialState state, double? value, double rate, string kind, string? failure = null) =>
        new(number, state, new Dictionary<string, string> { ["Optimizer:LearningRate"] = rate.ToString("R", CultureInfo.InvariantCulture), ["Optimizer:Kind"] = kind },
            [0.5, 0.5], value, null, Start, state == TrialState.Running ? null : Start.AddSeconds(10 + number), failure);

    private static readonly TrialRecord[] Trials =
    [
        Trial(0, TrialState.Complete, 0.91, 0.01, "adam"),
        Trial(1, TrialState.Failed, null, 0.5, "sgd", "Training diverged: <loss> is NaN"),
        Trial(2, TrialState.Complete, 0.95, 0.003, "<b>x</b>"),
        Trial(3, TrialState.Pruned, 0.5, 0.0002, "sgd"),
        Trial(4, TrialState.Running, null, 0.05, "adam"),
        Trial(5, TrialState.Complete, 0.93, 0.02, "sgd"),
    ];

    [Test]
    public void TheImportanceSectionRanksTheParameterThatDecidesTheValueFirst()
    {
        // The learning rate's coordinate decides the value; the optimizer's choice does not.
        var trials = Enumerable.Range(0, 12).Select(n => Trial(n, TrialState.Complete, null, 0.01, "adam") with
        {
            Point = [(n + 0.5) / 12, (n % 3 + 0.5) / 3], Value = Math.Pow((n + 0.5) / 12, 2),
        }).ToList();

        var html = StudyHtmlReport.Render(Spec(), trials);

        Assert.That(html, Does.Contain("<h2 id=\"importance\">Importance</h2>").And.Contain("href=\"#importance\""));
        var rows = ReportHtml.Rows(html, "importance-table");
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0], Does.Contain("<code>Optimizer:LearningRate</code>").And.Contain("class=\"importance-bar\""));
        Assert.That(rows[1], Does.Contain("<code>Optimizer:Kind</code>"));
        Assert.That(StudyHtmlReport.Render(Spec(), Trials), Does.Contain("No importance yet: no tree found a split that explains the values."),
            "the fixed trials all sit at one point");
    }

    [Test]
    public void ListsTrialsBestFirstWithTheBestParametersAndThePlots()
    {
        var html = StudyHtmlReport.Render(Spec(), Trials);

        Assert.That(html, Does.Contain("<title>digits-search · study · 6 trials — Trainer study report</title>"));
        Assert.That(html, Does.Contain("<dt>Objective</dt><dd>maximize val_accuracy</dd>").And.Contain("<dt>Complete</dt><dd>3</dd>").And.Contain("<dt>Running</dt><dd>1</dd>"));
        Assert.That(html, Does.Contain("<dt>Trial</dt><dd>2</dd>").And.Contain("<dt>val_accuracy</dt><dd>0.9500</dd>"));
        Assert.That(ReportHtml.Rows(html, "best-parameters"), Has.Count.EqualTo(2));
        var rows = ReportHtml.Rows(html, StudyHtmlReport.TrialsTableId);
        var order = rows.Select(r => System.Text.RegularExpressions.Regex.Match(r, "^<tr><td[^>]*>[^<]*</td><td class=\"num\" title=\"(\\d+)\">").Groups[1].Value).ToList();
        Assert.That(order, Is.EqualTo(new[] { "2", "5", "0", "3", "4", "1" }), "complete by value, then pruned, running, failed");
        Assert.That(rows[0], Does.Contain("class=\"num best\""));
        Assert.That(rows[5], Does.Contain("Training diverged: &lt;loss&gt; is NaN"));
        Assert.That(html, Does.Not.Contain("<b>x</b>").And.Contain("&lt;b&gt;x&lt;/b&gt;"));
        Assert.That(ReportHtml.Count(html, "img"), Is.EqualTo(3), "objective against each of two parameters, and the history");
        Assert.That(html, Does.Contain("alt=\"objective-vs-optimizer-learningrate\"").And.Contain("alt=\"history\""));
        ReportHtml.AssertSelfContained(html);
    }

    [Test]
    public void AStudyWithoutACompleteTrialSaysSo()
    {
        var html = StudyHtmlReport.Render(Spec(), [Trial(0, TrialState.Running, null, 0.01, "adam")]);

        Assert.That(html, Does.Contain("No trial has completed yet."));
        Assert.That(ReportHtml.Rows(html, StudyHtmlReport.TrialsTableId), Has.Count.EqualTo(1));
    }

    [Test]
    public void WritesTheFileAndRefusesAFolderAsHtml()
    {
        var path = StudyHtmlReport.Write("study.html", Spec(), Trials);

        Assert.That(path, Is.EqualTo(folder.File("study.html")));
        Assert.That(File.ReadAllText(path), Does.StartWith("<!DOCTYPE html>"));
        Directory.CreateDirectory(folder.File("out"));
        Assert.That(() => StudyHtmlReport.Write("out", Spec(), Trials), Throws.TypeOf<RecipeException>().With.Message
            .EqualTo("--html 'out' is a folder; give a file path such as 'out/report.html'."));
    }
}
