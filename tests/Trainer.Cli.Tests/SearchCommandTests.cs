using System.Globalization;
using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;

namespace Trainer.Cli.Tests;

public sealed class SearchCommandTests
{
    private static string[] Search(string storage, int trials, params string[] extra) =>
        ["search", Repository.Recipe("digits-search.json"), "--trials", trials.ToString(CultureInfo.InvariantCulture),
         "--storage", storage, "--Training:Epochs=3", "--Search:Pruner:Type=None", .. extra];

    [Test]
    public void TheDigitsSearchFindsALearningRateInASensibleDecadeAndWritesTheReport()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "search", Repository.Recipe("digits-search.json"), "--storage", "sqlite:studies.db");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var best = JsonDocument.Parse(File.ReadAllText(folder.File("runs/studies/digits-search/best.json"))).RootElement;
        Assert.That(best.GetProperty("complete").GetInt32() + best.GetProperty("pruned").GetInt32(), Is.EqualTo(12));
        var rate = double.Parse(best.GetProperty("best").GetProperty("parameters").GetProperty("Optimizer:LearningRate").GetString()!, CultureInfo.InvariantCulture);
        Assert.That(rate, Is.InRange(1e-3, 0.5), "Adam on normalised digits trains best between 1e-3 and a few 1e-1");
        Assert.That(best.GetProperty("best").GetProperty("value").GetDouble(), Is.GreaterThan(0.9));
        Assert.That(File.ReadAllLines(folder.File("runs/studies/digits-search/study.csv")), Has.Length.EqualTo(13));
        Assert.That(output, Does.Contain("Best: trial"));
        var plots = Directory.GetFiles(folder.File("runs/studies/digits-search/plots"), "*.png").Select(Path.GetFileName).Order().ToArray();
        Assert.That(plots, Is.EqualTo(new[]
        {
            "history.png", "objective-vs-model-hidden-0.png", "objective-vs-optimizer-beta1.png", "objective-vs-optimizer-learningrate.png",
            "objective-vs-training-batchsize.png",
        }));
        Assert.That(plots.Select(p => new FileInfo(folder.File($"runs/studies/digits-search/plots/{p}")).Length), Is.All.GreaterThan(5_000), "real pictures");

        var report = TrainerProcess.Run(folder.Path, "report", "--study", "digits-search", "--storage", "sqlite:studies.db");
        Assert.That(report.ExitCode, Is.EqualTo(0), report.Error);
        Assert.That(report.Output, Does.StartWith("Study digits-search: 12 trials").And.Contain($"Best: trial {best.GetProperty("best").GetProperty("number").GetInt32()},"));
        var missing = TrainerProcess.Run(folder.Path, "report", "--study", "nope", "--storage", "sqlite:studies.db");
        Assert.That((missing.ExitCode, missing.Error.Trim()), Is.EqualTo((ExitCodes.InvalidInput,
            "error: Study 'nope' is not in the store; run 'trainer search' first, or give --storage.")));
    }

    [TestCase("sqlite")]
    [TestCase("postgres")]
    public void TwoProcessesOnOneStudyShareTwentyTrialsWithoutDuplicatesOrLosses(string kind)
    {
        var postgres = Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES");
        if (kind == "postgres" && string.IsNullOrEmpty(postgres))
            Assert.Ignore("Set TRAINER_TEST_POSTGRES to a PostgreSQL connection string (.ci/run starts a server and sets it).");
        using var folder = new TempFolder();
        var storage = kind == "sqlite" ? $"sqlite:{folder.File("studies.db")}" : $"postgres:{postgres}";
        var study = $"--Search:Study=two-{Guid.NewGuid():N}";
        using var a = new TrainerProcess(folder.Path, Search(storage, 20, "--out", "a", study));
        using var b = new TrainerProcess(folder.Path, Search(storage, 20, "--out", "b", study));
        var (codeA, _, errorA) = a.WaitForExit(TimeSpan.FromMinutes(3));
        var (codeB, _, errorB) = b.WaitForExit(TimeSpan.FromMinutes(3));

        Assert.That((codeA, codeB), Is.EqualTo((0, 0)), errorA + errorB);
        // Each process writes its own snapshot when it runs out of trials; the store holds the whole study.
        using var store = Trainer.Search.SearchRunner.OpenStore(storage);
        var trials = store.Trials(study["--Search:Study=".Length..]);
        Assert.That(trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 20)));
        Assert.That(trials.Select(t => t.State), Is.All.EqualTo(Trainer.Search.TrialState.Complete));
        var trainedByA = Directory.GetDirectories(folder.File("a/trials")).Length;
        var trainedByB = Directory.GetDirectories(folder.File("b/trials")).Length;
        Assert.That((trainedByA + trainedByB, trainedByA > 0, trainedByB > 0), Is.EqualTo((20, true, true)), "both processes trained trials");
    }

    [TestCase("sqlite")]
    [TestCase("postgres")]
    public void AWorkerKilledMidTrialLeavesTheStudyUsable(string kind)
    {
        var postgres = Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES");
        if (kind == "postgres" && string.IsNullOrEmpty(postgres))
            Assert.Ignore("Set TRAINER_TEST_POSTGRES to a PostgreSQL connection string (.ci/run starts a server and sets it).");
        using var folder = new TempFolder();
        var storage = kind == "sqlite" ? $"sqlite:{folder.File("studies.db")}" : $"postgres:{postgres}";
        var study = $"--Search:Study=kill-{Guid.NewGuid():N}";
        using (var doomed = new TrainerProcess(folder.Path, Search(storage, 6, "--Training:Epochs=200", "--out", "s", study)))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!Directory.Exists(folder.File("s/trials/trial-0000")) && clock.Elapsed < TimeSpan.FromMinutes(1)) Thread.Sleep(20);
            Thread.Sleep(300);
            doomed.KillHard();
        }

        // Default settings: the dead process is noticed at once on this machine, without waiting for staleness.
        var (code, _, error) = TrainerProcess.Run(folder.Path, Search(storage, 6, "--out", "s", study));

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var rows = File.ReadAllLines(folder.File("s/study.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows[0][1], Is.EqualTo("failed"), "the killed worker's trial");
        Assert.That(rows.Count(r => r[1] == "complete"), Is.EqualTo(6));
        using var store = Trainer.Search.SearchRunner.OpenStore(storage);
        Assert.That(store.Trials(study["--Search:Study=".Length..])[0].Failure, Does.Match("^its worker process \\d+ is gone"));
    }

    [Test]
    public void WorkersSplitTheStudyAndTheCpuThreads()
    {
        using var folder = new TempFolder();
        var storage = $"sqlite:{folder.File("studies.db")}";

        var (code, _, error) = TrainerProcess.Run(folder.Path, Search(storage, 6, "--workers", "2", "--out", "s"));

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        using var store = Trainer.Search.SearchRunner.OpenStore(storage);
        var trials = store.Trials("digits-search");
        Assert.That(trials.Select(t => t.State), Is.All.EqualTo(Trainer.Search.TrialState.Complete));
        Assert.That(trials.Select(t => t.Worker).Distinct().Count(), Is.EqualTo(2), "the parent and one child trained trials");
        var threads = Math.Max(1, Environment.ProcessorCount / 2);
        foreach (var trial in trials)
            Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(trial.RunDirectory!, "recipe.json"))).RootElement
                .GetProperty("Training").GetProperty("Threads").GetInt32(), Is.EqualTo(threads), $"trial {trial.Number}");
    }
}
