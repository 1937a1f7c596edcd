using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// <c>trainer evaluate</c> through the real program: on the model's own recipe it reproduces the run's test metrics, and it
/// writes evaluation.json (per-class report, confusion matrix) and confusion.png; a bad split or unlabelled data is one line.
/// </summary>
public sealed class EvaluateCommandTests
{
    [Test]
    public void TheModelsOwnTestSplitGivesTheRunsTestMetricsAndAConfusionMatrix()
    {
        using var folder = new TempFolder();
        Assert.That(TrainerProcess.Run(folder.Path, "run", "--run-dir", "run", "--Training:Epochs=3").ExitCode, Is.Zero);
        var summary = JsonDocument.Parse(File.ReadAllText(folder.File("run/summary.json"))).RootElement.GetProperty("metrics");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "evaluate", "run");

        Assert.That(code, Is.Zero, error);
        var evaluation = EvaluationFile.Read(folder.File($"run/{RunFiles.Evaluation}"));
        Assert.That(evaluation.Metrics["accuracy"], Is.EqualTo(summary.GetProperty("test_accuracy").GetDouble()), "the same split, preprocessing and weights");
        Assert.That(evaluation.Loss, Is.EqualTo(summary.GetProperty("test_loss").GetDouble()).Within(1e-9));
        Assert.That(evaluation.Examples, Is.EqualTo(359));
        var classification = evaluation.Classification!;
        Assert.That(classification.Confusion.Sum(row => row.Sum()), Is.EqualTo(359));
        Assert.That(classification.Confusion.Select((row, i) => row[i]).Sum() / 359.0, Is.EqualTo(evaluation.Metrics["accuracy"]).Within(1e-12));
        Assert.That(classification.Classes, Has.Count.EqualTo(10));
        Assert.That(File.Exists(folder.File($"run/{RunFiles.Evaluation}/{EvaluationFiles.ConfusionPlot}")), Is.True);
        Assert.That(output, Does.Contain("precision").And.Contain("recall").And.Contain("f1"));
    }

    [Test]
    public void AnUnknownSplitOrUnlabelledDataIsOneLineAndExitCode2()
    {
        using var folder = new TempFolder();
        Assert.That(TrainerProcess.Run(folder.Path, "run", "--run-dir", "run", "--Training:Epochs=1").ExitCode, Is.Zero);
        File.WriteAllText(folder.File("broken.json"), "{ \"Data\": ");

        foreach (var (arguments, expected) in new[]
                 {
                     (new[] { "evaluate", "run", "--split", "holdout" }, "--split 'holdout'"),
                     (new[] { "evaluate", "run", "--data", "broken.json" }, "not valid JSON"),
                     (new[] { "evaluate", "run", "--data", "missing.json" }, "does not exist"),
                 })
        {
            var (code, _, error) = TrainerProcess.Run(folder.Path, arguments);
            Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), error);
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Contain(expected).And.Not.Contain("   at "));
        }
    }
}
