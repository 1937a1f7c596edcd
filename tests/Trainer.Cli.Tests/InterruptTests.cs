using System.Diagnostics;
using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Hosting.Experiments;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// Commands that run many trainings one after another (a search's trials, an experiment's variants) stop as a whole
/// on Ctrl+C or SIGTERM: the running one is interrupted after its current batch and no further one starts.
/// </summary>
[Platform(Exclude = "Win", Reason = "POSIX signals")]
public sealed class InterruptTests
{
    [TestCase("INT")]
    [TestCase("TERM")]
    public void ASignalStopsTheWholeSearchNotJustTheRunningTrial(string signal)
    {
        using var folder = new TempFolder();
        using var trainer = new TrainerProcess(folder.Path, "search", Repository.Recipe("digits-search.json"), "--trials", "50",
            "--storage", "sqlite:studies.db", "--out", "study", "--Training:Epochs=100000", "--Search:Pruner:Type=None");
        var metrics = folder.File("study/trials/trial-0000/metrics.csv");
        WaitForEpochs(trainer, metrics, 2);

        trainer.Signal(signal);
        var (code, output, error) = trainer.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.That(code, Is.EqualTo(ExitCodes.Interrupted), output + error);
        Assert.That(Directory.GetDirectories(folder.File("study/trials")), Has.Length.EqualTo(1), "no trial starts after the signal");
        Assert.That(RunSummaryFile.Read(folder.File("study/trials/trial-0000")).Status, Is.EqualTo("interrupted"));
    }

    [Test]
    public void SigtermStopsASearchWithTwoWorkersEveryTimeStoringItsTrialsAsInterruptedAndTheNextRunResumesThem()
    {
        using var folder = new TempFolder();
        string[] search = ["search", Repository.Recipe("digits-search.json"), "--trials", "40", "--workers", "2", "--storage", "sqlite:studies.db",
            "--out", "study", "--Training:Epochs=100000", "--Search:Pruner:Type=None", "--Search:Study=sigterm"];
        for (var round = 1; round <= 3; round++)
        {
            var roundStart = DateTime.UtcNow;
            using var trainer = new TrainerProcess(folder.Path, search);
            // Both workers are inside a trial: two trials have logged an epoch in this round.
            WaitFor(trainer, () => TrialsWithAnEpochSince(folder.File("study/trials"), roundStart) >= 2, $"two trials training in round {round}");

            trainer.Signal("TERM");
            var (code, output, error) = trainer.WaitForExit(TimeSpan.FromMinutes(2));

            Assert.That(code, Is.EqualTo(ExitCodes.Interrupted), $"round {round}: {output}{error}");
            Assert.That(error, Does.Not.Contain("failed trials"), $"round {round}");
            using var store = Trainer.Search.SearchRunner.OpenStore($"sqlite:{folder.File("studies.db")}");
            var trials = store.Trials("sigterm");
            Assert.That(trials.Select(t => t.State), Has.None.EqualTo(Trainer.Search.TrialState.Failed), $"round {round}: nothing failed");
            Assert.That(trials.Select(t => t.State), Has.None.EqualTo(Trainer.Search.TrialState.Running), $"round {round}: nothing is left running");
            Assert.That(trials.Count(t => t.State == Trainer.Search.TrialState.Interrupted), Is.EqualTo(2), $"round {round}: both workers' trials");
            // Each round takes the interrupted trials back rather than starting new ones.
            Assert.That(trials, Has.Count.EqualTo(2), $"round {round}: the same two trials are resumed");
        }
    }

    private static int TrialsWithAnEpochSince(string trials, DateTime since) =>
        !Directory.Exists(trials) ? 0 : Directory.GetDirectories(trials)
            .Where(d => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(d), @"^trial-\d{4}$"))
            .Select(d => Path.Combine(d, "metrics.csv"))
            .Count(m => File.Exists(m) && File.GetLastWriteTimeUtc(m) >= since && File.ReadLines(m).Count() >= 2);

    private static void WaitFor(TrainerProcess trainer, Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(trainer.HasExited, Is.False, $"the search ended before {what}: {trainer.OutputSoFar}");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(3)), $"timed out waiting for {what}");
            Thread.Sleep(50);
        }
    }

    [TestCase("INT")]
    [TestCase("TERM")]
    public void ASignalStopsTheWholeExperimentAndMarksTheRestNotRun(string signal)
    {
        using var folder = new TempFolder();
        var recipe = folder.File("experiment.json");
        File.WriteAllText(recipe, """
            {
              "Name": "interrupted-experiment",
              "Data": { "Source": "digits" },
              "Training": { "Epochs": 100000 },
              "Variants": { "first": { "Optimizer:LearningRate": 0.001 }, "second": { "Optimizer:LearningRate": 0.01 }, "third": { } }
            }
            """);
        using var trainer = new TrainerProcess(folder.Path, "run", recipe, "--run-dir", "exp");
        WaitForEpochs(trainer, folder.File("exp/variants/first/metrics.csv"), 2);

        trainer.Signal(signal);
        var (code, output, error) = trainer.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.That(code, Is.EqualTo(ExitCodes.Interrupted), output + error);
        var record = JsonSerializer.Deserialize<ExperimentRecord>(File.ReadAllText(folder.File("exp/experiment.json")))!;
        Assert.That(record.Variants.Select(v => v.Status), Is.EqualTo(new[] { "interrupted", ExperimentVariantRecord.NotRun, ExperimentVariantRecord.NotRun }));
        Assert.That(Directory.Exists(folder.File("exp/variants/second")), Is.False);
    }

    private static void WaitForEpochs(TrainerProcess trainer, string metrics, int epochs)
    {
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && File.ReadLines(metrics).Count() > epochs) && !trainer.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(50);
        Assert.That(trainer.HasExited, Is.False, "the command should still be training");
    }
}
