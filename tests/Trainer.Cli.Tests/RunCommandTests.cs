using System.Diagnostics;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

public sealed class RunCommandTests
{
    [Test]
    public void TheQuickstartRecipeReachesNinetyFivePercentTestAccuracy()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("quickstart.json"), "--run-dir", "run");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var summary = RunSummaryFile.Read(folder.File("run"));
        Assert.That(summary.Status, Is.EqualTo("completed"));
        Assert.That(summary.Epochs, Is.EqualTo(30));
        Assert.That(summary.Metrics["test_accuracy"], Is.GreaterThanOrEqualTo(0.95));
        Assert.That(output, Does.Match(@"Run completed: test accuracy 0\.9\d{3}"));
    }

    [Test]
    public void WithoutARecipeTheEmbeddedQuickstartRunsFromAnyFolder()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", "--Training:Epochs", "2");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var run = Directory.GetDirectories(folder.File("runs")).Single();
        Assert.That(Path.GetFileName(run), Does.StartWith("quickstart-"));
        Assert.That(RunSummaryFile.Read(run).Epochs, Is.EqualTo(2));
        Assert.That(output, Does.Contain("Epoch 2/2"));
    }

    [Test]
    public void AModelTooLargeForMemoryIsOneLineNamingTheSizeWithTheFullNativeTextOnlyInTheLog()
    {
        using var folder = new TempFolder();

        // The first layer alone is 2,000,000,000 x 64 float32 weights: 477 GiB.
        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", "--run-dir", "run", "--Model:Hidden:0=2000000000");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), error);
        var failed = (output + error).Split('\n').Where(l => l.Contains("Run failed", StringComparison.Ordinal)).ToList();
        Assert.That(failed, Has.Count.EqualTo(1));
        Assert.That(failed[0], Does.Contain("libtorch could not allocate memory (476.8 GiB in one tensor)").And.Contain("lower Model:Hidden"));
        Assert.That(output + error, Does.Not.Contain("frame #"), "no C++ frames on the console");
        Assert.That(RunSummaryFile.Read(folder.File("run")).Error, Does.Not.Contain("frame #"));
        Assert.That(File.ReadAllText(folder.File("run/log.clef")), Does.Contain("frame #"), "the full native text is kept in log.clef");
    }

    [TestCase("INT")]
    [TestCase("TERM")]
    [Platform(Exclude = "Win", Reason = "POSIX signals; Windows is covered in-process by the hosting tests' shutdown test")]
    public void CtrlCOrSigtermStopsAfterTheCurrentBatchWritesTheSummaryAndExits130(string signal)
    {
        using var folder = new TempFolder();
        using var trainer = new TrainerProcess(folder.Path, "run", Repository.Recipe("quickstart.json"), "--run-dir", "run",
            "--Training:Epochs=100000");
        var metrics = folder.File("run/metrics.csv");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && File.ReadLines(metrics).Count() >= 3) && !trainer.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
            Thread.Sleep(50);
        Assert.That(trainer.HasExited, Is.False, "the run should still be training");

        trainer.Signal(signal);
        var (code, output, _) = trainer.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.That(code, Is.EqualTo(ExitCodes.Interrupted));
        var summary = RunSummaryFile.Read(folder.File("run"));
        Assert.That(summary.Status, Is.EqualTo("interrupted"));
        Assert.That(summary.Epochs, Is.GreaterThanOrEqualTo(2));
        Assert.That(File.ReadLines(metrics).Count(), Is.EqualTo(summary.Epochs + 1), "every finished epoch stays in metrics.csv");
        Assert.That(output, Does.Contain("Shutdown requested").And.Contain("Run interrupted after"));
    }

    [Test]
    public void AnInvalidRecipeValueExitsTwoWithOneLineNamingTheField()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("quickstart.json"), "--Optimizer:Kind=adagrad");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error, Is.EqualTo("error: Optimizer:Kind 'adagrad' is not supported; use one of: sgd, momentum, nesterov, rmsprop, adam, adamw." + Environment.NewLine));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.Exists(folder.File("runs")), Is.False);
    }

    [Test]
    public void AMissingRecipeFileExitsTwo()
    {
        using var folder = new TempFolder();

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", "nope.json");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error, Is.EqualTo($"error: Recipe file 'nope.json' does not exist (looked at {folder.File("nope.json")})." + Environment.NewLine));
    }

    [Test]
    public void ACorruptIdxHeaderExitsTwoNamingTheFile()
    {
        using var folder = new TempFolder();
        var data = Directory.CreateDirectory(folder.File("idx")).FullName;
        foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            File.WriteAllBytes(Path.Combine(data, name), [0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1]);

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("quickstart.json"), "--run-dir", "run",
            "--Data:Source=idx", $"--Data:Path={data}");

        var expected = $"Data file '{Path.Combine(data, "train-images-idx3-ubyte")}' is not a valid IDX file";
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain(expected));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace for a user error");
        Assert.That(RunSummaryFile.Read(folder.File("run")).Error, Does.StartWith(expected));
    }

    [Test]
    public void TheEarlyStoppingRecipeStopsEarlyAndRecordsWhyAndTheBestEpoch()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("digits-early-stopping.json"), "--run-dir", "run",
            "--Callbacks:2:Options:Patience=3");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var summary = RunSummaryFile.Read(folder.File("run"));
        Assert.That(summary.Status, Is.EqualTo("stopped-early"));
        Assert.That(summary.StopReason, Is.EqualTo("patience-exhausted"));
        Assert.That(summary.BestEpoch, Is.EqualTo(summary.Epochs - 3));
        Assert.That(summary.Metrics["test_accuracy"], Is.GreaterThanOrEqualTo(0.95));
        var header = File.ReadLines(folder.File("run/metrics.csv")).First();
        Assert.That(header, Is.EqualTo("epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,ewma_train_loss,ewma_train_accuracy,ema_val_loss,ema_val_accuracy,seconds,samples_per_second"));
        Assert.That(output, Does.Contain($"Restored the weights of epoch {summary.BestEpoch}"));
    }

    [Test]
    public void ThePluginsCommandListsTheBuiltInPluginsFoundBesideTheProgram()
    {
        using var folder = new TempFolder();

        var (code, output, _) = TrainerProcess.Run(folder.Path, "plugins");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("EarlyStopping  (Trainer.Plugins.EarlyStopping.EarlyStoppingCallback")
            .And.Contain("LearningRateSchedule  (Trainer.Plugins.LearningRate.LearningRateScheduleCallback")
            .And.Contain("RunningStats  (Trainer.Plugins.RunningStats.RunningStatsCallback"));
        Assert.That(output, Does.Match(@"\n\s+Patience\s+Int32\s+default 5\s+Epochs without improvement before stopping\."));
    }

    [TestCase(new[] { "run", "a.json", "b.json" }, "error: Unrecognized command or argument 'b.json'.")]
    [TestCase(new[] { "run", "--Training:Epochs" }, "error: --Training:Epochs needs a value: write --Training:Epochs=VALUE.")]
    [TestCase(new[] { "run", "--Training:Epochs", "--Training:BatchSize=32" }, "error: --Training:Epochs needs a value: write --Training:Epochs=VALUE.")]
    [TestCase(new[] { "run", "--bogus" }, "error: Unknown option '--bogus'; run 'trainer --help' for usage.")]
    public void CommandLineMistakesExitTwoWithOneLine(string[] args, string expected)
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, args);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error.Split(Environment.NewLine)[0], Is.EqualTo(expected));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void TopLevelRecipeKeysCanBeOverridden()
    {
        using var folder = new TempFolder();

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", "--Name=renamed", "--Training:Epochs=1");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        Assert.That(Path.GetFileName(Directory.GetDirectories(folder.File("runs")).Single()), Does.StartWith("renamed-"));
    }
}
