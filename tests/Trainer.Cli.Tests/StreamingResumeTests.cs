using System.Buffers.Binary;
using System.Diagnostics;
using Trainer.Checkpoints;
using Trainer.Cli.Tests.Support;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>A crash on the streaming data path (Data:Loading stream), through the real program.</summary>
public sealed class StreamingResumeTests
{
    private static void WriteIdx(string path, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Uncompressed IDX files of 8 × 8 images whose label is the brighter half (top or bottom), so there is something to learn.</summary>
    private static string WriteDataSet(string folder)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(5);
        foreach (var (prefix, count) in new[] { ("train", 1500), ("t10k", 300) })
        {
            var pixels = new byte[count * 64];
            random.NextBytes(pixels);
            var labels = new byte[count];
            for (var i = 0; i < count; i++)
            {
                var top = pixels.AsSpan(i * 64, 32).ToArray().Sum(p => p);
                var bottom = pixels.AsSpan(i * 64 + 32, 32).ToArray().Sum(p => p);
                labels[i] = (byte)(top > bottom ? 1 : 0);
            }
            WriteIdx(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), [count, 8, 8], pixels);
            WriteIdx(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), [count], labels);
        }
        return folder;
    }

    // True when the checkpoint a resume would start from (best.ckpt, written at an epoch end when validation improves, can
    // be further on than the last mid-epoch one) was written inside an epoch after epoch 2.
    private static bool HasMidEpochCheckpoint(string folder)
    {
        try
        {
            return CheckpointStore.FindLatest(folder, []) is { Checkpoint: { Partial: not null, CompletedEpochs: >= 2 } };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // removed by KeepLast while it was read: look again
        }
    }

    // A checkpoint every 0.3 s slows a run down on a busy machine: more time than TrainerProcess.Run's two minutes.
    private static (int ExitCode, string Output, string Error) Run(string workingDirectory, string[] args)
    {
        using var trainer = new TrainerProcess(workingDirectory, args);
        return trainer.WaitForExit(TimeSpan.FromMinutes(6));
    }

    private static string[] MetricRows(string runDirectory) =>
        File.ReadLines(Path.Combine(runDirectory, "metrics.csv")).Select(l => string.Join(",", l.Split(',')[..^2])).ToArray(); // all but seconds and samples/s

    [Test]
    [Platform(Exclude = "Win", Reason = "relies on POSIX process semantics of a hard kill mid-write")]
    public void AfterAHardKillMidEpochOnTheStreamingPathResumeReproducesTheStraightRunBitForBit()
    {
        using var folder = new TempFolder();
        var data = WriteDataSet(folder.File("data"));
        // Checkpoints every 0.3 s and none at epoch ends (no best.ckpt either: one written at an epoch end between the check
        // and the kill made a loaded CI machine resume from an epoch boundary), so the run resumes from a checkpoint written in the middle of an epoch;
        // wide layers make each epoch cost compute (a few tenths of a second even on an idle machine), so the run is still going
        // when its first mid-epoch checkpoint after epoch 2 is written (6 narrow epochs once ended before it in CI).
        string[] args = ["run", Repository.Recipe("digits-checkpoints.json"), "--Data:Source=idx", $"--Data:Path={data}", "--Data:Loading=stream",
            "--Data:Workers=3", "--Data:Prefetch=3", "--Training:BatchSize=16", "--Training:Epochs=12", "--Model:Hidden:0=1024", "--Model:Hidden:1=1024",
            "--Callbacks:3:Options:EveryMinutes=0.005", "--Callbacks:3:Options:EveryEpochs=0", "--Callbacks:3:Options:Monitor="];
        var straight = Run(folder.Path, [.. args, "--run-dir", "straight"]);
        Assert.That(straight.ExitCode, Is.EqualTo(0), straight.Error);
        Assert.That(straight.Output, Does.Contain("Data path: stream (Data:Loading stream)"));

        using (var trainer = new TrainerProcess(folder.Path, [.. args, "--run-dir", "crashed"]))
        {
            var clock = Stopwatch.StartNew();
            while (!HasMidEpochCheckpoint(folder.File("crashed/checkpoints")))
            {
                Assert.That(trainer.HasExited, Is.False, "trainer exited before a mid-epoch checkpoint after epoch 2");
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(6)), "timed out waiting for a mid-epoch checkpoint");
                Thread.Sleep(10);
            }
            trainer.KillHard();
        }
        Assert.That(File.Exists(folder.File("crashed/summary.json")), Is.False, "killed before it could write a summary");

        var resumed = Run(folder.Path, [.. args, "--run-dir", "crashed", "--resume"]);

        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Error);
        Assert.That(resumed.Output, Does.Match(@"Resuming after \d epochs and \d+ steps \(next batch [1-9]\d*\)"), "from a checkpoint inside an epoch");
        Assert.That(MetricRows(folder.File("crashed")), Is.EqualTo(MetricRows(folder.File("straight"))), "every metric of every epoch, bit for bit");
        Assert.That(RunSummaryFile.Read(folder.File("crashed")).Metrics, Is.EqualTo(RunSummaryFile.Read(folder.File("straight")).Metrics));
    }
}
