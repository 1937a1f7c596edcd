using Trainer.Reports;
using Trainer.Hosting.Tests.Support;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Reports;

public sealed class HtmlReportTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = TempFolder.AsWorkingDirectory();

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public void WritesReportHtmlInsideARunDirectoryByDefault()
    {
        var run = SyntheticRun.Write(folder.File("run"));

        var path = HtmlReport.Write("run");

        Assert.That(path, Is.EqualTo(Path.Combine(run, "report.html")));
        Assert.That(File.ReadAllText(path), Does.StartWith("<!DOCTYPE html>").And.Contain("<title>synthetic · run · completed"));
        Assert.That(Directory.GetFiles(run, "*.tmp"), Is.Empty);
    }

    [Test]
    public void WritesToTheOutFileCreatingItsFolder()
    {
        SyntheticRun.Write(folder.File("run"));

        var path = HtmlReport.Write("run", "reports/a/run.html");

        Assert.That(path, Is.EqualTo(folder.File("reports/a/run.html")));
        Assert.That(File.Exists(folder.File("run/report.html")), Is.False);
    }

    [Test]
    public void AnExperimentGetsItsVariantsReportsAndLinksToThemFromWhereverItIsWritten()
    {
        var experiment = SyntheticRun.Experiment(folder.File("exp"));

        var path = HtmlReport.Write("exp", "out/experiment.html");

        Assert.That(new[] { "sgd", "adam", "broken" }.Select(v => File.Exists(Path.Combine(experiment, "variants", v, "report.html"))), Is.All.True);
        var html = File.ReadAllText(path);
        Assert.That(html, Does.Contain("<a class=\"variant-report\" href=\"../exp/variants/sgd/report.html\">report</a>"));
        Assert.That(html, Does.Contain("href=\"../exp/variants/broken/report.html\""), "a failed variant's report says what it lacks");
        Assert.That(ReportHtml.Count(html, "a class=\"variant-report\""), Is.EqualTo(6), "table and section links for the three variants with folders");
        Assert.That(File.ReadAllText(Path.Combine(experiment, "variants", "sgd", "report.html")), Does.Contain("<title>optimizers · sgd · completed"));
    }

    [TestCase("nope", "RUN_DIR 'nope' does not exist; give a run directory made by 'trainer run' (runs/<run-id>) or an experiment directory.")]
    [TestCase("", "RUN_DIR is empty: give a run directory such as runs/<run-id>, or an experiment directory.")]
    [TestCase("plain", "RUN_DIR 'plain' is not a run or experiment directory: it has no summary.json, recipe.json, metrics.csv or experiment.json; " +
                       "give a folder made by 'trainer run' (runs/<run-id>) or an experiment directory.")]
    public void RefusesWhatIsNotARunOrExperimentDirectory(string directory, string message)
    {
        Directory.CreateDirectory(folder.File("plain"));
        folder.Write("plain/notes.txt", "hello");

        Assert.That(() => HtmlReport.Write(directory), Throws.TypeOf<RecipeException>().With.Message.EqualTo(message));
    }

    [Test]
    public void RefusesAFileAsRunDirAndAFolderAsOut()
    {
        var run = SyntheticRun.Write(folder.File("run"));

        Assert.That(() => HtmlReport.Write("run/summary.json"), Throws.TypeOf<RecipeException>().With.Message
            .EqualTo($"RUN_DIR 'run/summary.json' is a file; give the run directory that holds it, e.g. '{run}'."));
        Assert.That(() => HtmlReport.Write("run", "run"), Throws.TypeOf<RecipeException>().With.Message
            .EqualTo("--out 'run' is a folder; give a file path such as 'run/report.html'."));
        Assert.That(() => HtmlReport.Write("run", "run/summary.json/x.html"), Throws.TypeOf<RecipeException>().With.Message
            .StartsWith($"--out '{folder.File("run/summary.json/x.html")}' cannot be written:"));
    }
}
