using System.Diagnostics;
using Trainer.Checkpoints;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>Crashes, signals and resume, through the real program.</summary>
public sealed class FaultTests
{
    // Wide layers and small batches make an epoch last long enough (~0.5 s) to be interrupted in the middle.
    private static readonly string[] Slow = ["--Model:Hidden:0=1024", "--Model:Hidden:1=1024", "--Training:BatchSize=16"];

    // Epochs of about 2 s on 2 cores (wide layers, small batches, 305 steps), so a signal sent at a step of epoch 2 lands in its middle.
    private static readonly string[] SlowEpochs = ["--Model:Hidden:0=2048", "--Model:Hidden:1=2048", "--Training:BatchSize=4"];

    private static string Recipe => Repository.Recipe("digits-checkpoints.json");

    private static void WaitFor(Func<bool> condition, TrainerProcess trainer, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(trainer.HasExited, Is.False, $"trainer exited before {what}");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }

    private static string[] MetricRows(string runDirectory) =>
        File.ReadLines(Path.Combine(runDirectory, "metrics.csv")).Select(l => string.Join(",", l.Split(',')[..^2])).ToArray(); // all but seconds and samples/s

    [Test]
    [Platform(Exclude = "Win", Reason = "relies on POSIX process semantics of a hard kill mid-write")]
    public void AfterAHardKillInEpochFourResumeReproducesTheStraightRunBitForBit()
    {
        using var folder = new TempFolder();
        string[] args = ["run", Recipe, .. Slow, "--Training:Epochs=6"];
        var straight = TrainerProcess.Run(folder.Path, [.. args, "--run-dir", "straight"]);
        Assert.That(straight.ExitCode, Is.EqualTo(0), straight.Error);

        using (var trainer = new TrainerProcess(folder.Path, [.. args, "--run-dir", "crashed"]))
        {
            WaitFor(() => Directory.Exists(folder.File("crashed/checkpoints")) &&
                          Directory.GetFiles(folder.File("crashed/checkpoints"), "epoch-0003-*.ckpt").Length == 1, trainer, "epoch 3's checkpoint");
            trainer.KillHard();
        }
        Assert.That(File.Exists(folder.File("crashed/summary.json")), Is.False, "killed before it could write a summary");

        var resumed = TrainerProcess.Run(folder.Path, [.. args, "--run-dir", "crashed", "--resume"]);

        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Error);
        Assert.That(resumed.Output, Does.Contain("Resuming after 3 epochs"));
        Assert.That(MetricRows(folder.File("crashed")), Is.EqualTo(MetricRows(folder.File("straight"))), "every metric of every epoch, bit for bit");
        Assert.That(RunSummaryFile.Read(folder.File("crashed")).Metrics, Is.EqualTo(RunSummaryFile.Read(folder.File("straight")).Metrics));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "POSIX signals")]
    public void SigtermMidEpochExits130AfterTheBatchWithACheckpointAndTheSummary()
    {
        using var folder = new TempFolder();
        // RunningStats logs every other step, so a line with epoch 2's step says the run is inside epoch 2.
        using var trainer = new TrainerProcess(folder.Path, ["run", Recipe, .. SlowEpochs, "--Training:Epochs=50", "--run-dir", "run",
            "--Callbacks:0:Options:LogEvery=2"]);
        trainer.WaitForLine(l => l.Contains("Epoch 2 step ", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "a step of epoch 2");

        trainer.Signal("TERM");
        var (code, output, _) = trainer.WaitForExit(TimeSpan.FromMinutes(2));

        Assert.That(code, Is.EqualTo(ExitCodes.Interrupted));
        Assert.That(RunSummaryFile.Read(folder.File("run")).Status, Is.EqualTo("interrupted"));
        Assert.That(output, Does.Contain("Shutdown requested (Ctrl+C, SIGTERM or service stop) in epoch 2"));
        var latest = Directory.GetFiles(folder.File("run/checkpoints"), "epoch-*.ckpt").Order().Last();
        var checkpoint = CheckpointFile.Read(latest);
        Assert.That(checkpoint.Reason, Is.EqualTo("interrupt"));
        Assert.That(checkpoint.Partial, Is.Not.Null, "written in the middle of an epoch, with its data position");
        Assert.That(checkpoint.Partial!.NextBatch, Is.GreaterThan(0).And.LessThan(1222 / 4), "stopped after a batch inside epoch 2, not at its end");
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "POSIX signals")]
    public void ASecondCtrlCExitsAtOnce()
    {
        using var folder = new TempFolder();
        // One batch of every example through 4096-wide layers takes seconds, so the first Ctrl+C has to wait for it.
        using var trainer = new TrainerProcess(folder.Path, ["run", Recipe, "--Model:Hidden:0=4096", "--Model:Hidden:1=4096",
            "--Training:BatchSize=2048", "--Training:Epochs=50", "--run-dir", "run"]);
        trainer.WaitForLine(l => l.Contains("Epoch 1/50", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "epoch 1");

        trainer.Signal("INT");
        trainer.WaitForLine(l => l.Contains("Interrupt received", StringComparison.Ordinal), TimeSpan.FromMinutes(1), "the first interrupt's notice");
        trainer.Signal("INT");
        var (code, output, _) = trainer.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.That(code, Is.EqualTo(ExitCodes.Interrupted));
        Assert.That(output, Does.Contain("Second interrupt: exiting at once"));
        Assert.That(output, Does.Not.Contain("Shutdown requested"), "it did not wait for the batch to end (the loop logs that after it)");
        Assert.That(File.Exists(folder.File("run/summary.json")), Is.False, "nor for the summary");
    }

    [Test]
    public void AnExceptionInACallbackFailsTheRunWithExitCodeOneNamingTheCallback()
    {
        using var folder = new TempFolder();

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("quickstart.json"), "--run-dir", "run",
            "--Callbacks:0:Type=GradientCheck", "--Callbacks:0:Options:OkBelow=0", "--Callbacks:0:Options:WarnBelow=0", "--Callbacks:0:Options:FailAbove=0");

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        var summary = RunSummaryFile.Read(folder.File("run"));
        Assert.That(summary.Status, Is.EqualTo("failed"));
        Assert.That(summary.Error, Does.StartWith("Callback GradientCheck failed in OnTrainStart: gradient check fail:"));
        Assert.That(error, Does.Contain("Callback GradientCheck failed in OnTrainStart").And.Not.Contain("   at "));
    }
}
