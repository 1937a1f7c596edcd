using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Plugins.Checkpoints;
using Trainer.Plugins.EarlyStopping;
using Trainer.Plugins.LearningRate;
using Trainer.Plugins.RunningStats;
using Trainer.Plugins.Tests.Support;
using Trainer.Recipes;
using Trainer.Testing;
using Trainer.Training;

namespace Trainer.Plugins.Tests.Checkpoints;

public sealed class CheckpointCallbackTests
{
    private static RecipeOptions Recipe(int epochs)
    {
        var recipe = TestTraining.Digits(epochs, batchSize: 64, seed: 3);
        recipe.Model.Dropout = 0.2; // dropout draws from the global RNG, so its state must be restored too
        return recipe;
    }

    /// <summary>A realistic callback set whose state must survive a resume.</summary>
    private static TrainingCallback[] Callbacks(CheckpointOptions checkpoint, params TrainingCallback[] extra) =>
    [
        new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0 }),
        new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.ReduceOnPlateau, Monitor = "train_loss", Patience = 0, Factor = 0.7 }),
        new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "val_loss", Patience = 50 }),
        new CheckpointCallback(checkpoint),
        .. extra,
    ];

    private static string[] Rows(TrainingResult result) =>
        result.History.Select(h => string.Join(",", h.Values.OrderBy(v => v.Key).Select(v => v.Value.ToString("R")))).ToArray();

    // End to end (a real run): checkpoint files of real weights and optimizer moments, and resumes that must match an
    // uninterrupted run bit for bit, including the data order, dropout's RNG and the NaN check of the real loss.
    [Test]
    public void EachEpochCheckpointHoldsItsOwnEpochsStateThoughTheBuffersAreReused()
    {
        using var dir = new TempFolder();
        var captured = new CaptureEveryEpoch();
        TestTraining.TrainIn(dir.Path, Recipe(3), null, NullLogger.Instance, CancellationToken.None, null,
            [captured, new CheckpointCallback(new CheckpointOptions { KeepLast = 3, SaveOnStop = false })]);

        var files = Directory.GetFiles(Path.Combine(dir.Path, "checkpoints"), "epoch-*.ckpt").Order().ToArray();
        Assert.That(files, Has.Length.EqualTo(3));
        for (var i = 0; i < files.Length; i++)
        {
            var written = CheckpointFile.Read(files[i]);
            Assert.That(written.CompletedEpochs, Is.EqualTo(i + 1));
            Assert.That(written.Model.ToArray(), Is.EqualTo(captured.Checkpoints[i].Model.ToArray()), $"model state of epoch {i + 1}");
            Assert.That(written.Optimizer.ToArray(), Is.EqualTo(captured.Checkpoints[i].Optimizer.ToArray()), $"optimizer state of epoch {i + 1}");
        }
        Assert.That(captured.Checkpoints[0].Model.ToArray(), Is.Not.EqualTo(captured.Checkpoints[2].Model.ToArray()), "training moved the weights");
    }

    /// <summary>Takes a copy of the run's state at every epoch end, as the checkpoint callback after it writes it.</summary>
    private sealed class CaptureEveryEpoch : TrainingCallback
    {
        public List<TrainingCheckpoint> Checkpoints { get; } = [];

        public override void OnEpochEnd(EpochContext context) => context.AfterHook(() => Checkpoints.Add(context.CaptureCheckpoint("epoch")));
    }

    [Test]
    public void ResumingFromAnEpochCheckpointReproducesTheStraightRunBitForBit()
    {
        using var straightDir = new TempFolder();
        using var splitDir = new TempFolder();
        var straight = TestTraining.TrainIn(straightDir.Path, Recipe(5), null, NullLogger.Instance, CancellationToken.None, null,
            Callbacks(new CheckpointOptions()));

        using var stop = new CancellationTokenSource();
        TestTraining.TrainIn(splitDir.Path, Recipe(5), null, NullLogger.Instance, stop.Token, null,
            Callbacks(new CheckpointOptions { SaveOnStop = false }, new CancelAfterEpoch(2, stop)));
        var checkpoint = CheckpointFile.Read(Path.Combine(splitDir.Path, "checkpoints", "epoch-0002-step-00000040.ckpt"));
        var resumed = TestTraining.TrainIn(splitDir.Path, Recipe(5), null, NullLogger.Instance, CancellationToken.None, checkpoint,
            Callbacks(new CheckpointOptions()));

        Assert.That(checkpoint.Partial, Is.Null);
        Assert.That(Rows(resumed), Is.EqualTo(Rows(straight)));
        Assert.That(resumed.FinalMetrics, Is.EqualTo(straight.FinalMetrics));
    }

    [Test]
    public void AnInterruptedRunWritesAMidEpochCheckpointThatResumesBitForBit()
    {
        using var straightDir = new TempFolder();
        using var splitDir = new TempFolder();
        var straight = TestTraining.TrainIn(straightDir.Path, Recipe(3), null, NullLogger.Instance, CancellationToken.None, null,
            Callbacks(new CheckpointOptions { EveryEpochs = 0 }));

        using var stop = new CancellationTokenSource();
        var interrupted = TestTraining.TrainIn(splitDir.Path, Recipe(3), null, NullLogger.Instance, stop.Token, null,
            Callbacks(new CheckpointOptions { EveryEpochs = 0 }, new CancelAtStep(27, stop)));
        var file = Directory.GetFiles(Path.Combine(splitDir.Path, "checkpoints")).Single();
        var checkpoint = CheckpointFile.Read(file);
        var resumed = TestTraining.TrainIn(splitDir.Path, Recipe(3), null, NullLogger.Instance, CancellationToken.None, checkpoint,
            Callbacks(new CheckpointOptions { EveryEpochs = 0 }));

        Assert.That(interrupted.Status, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(Path.GetFileName(file), Is.EqualTo("epoch-0001-step-00000027.ckpt"));
        Assert.That((checkpoint.Reason, checkpoint.CompletedEpochs, checkpoint.Partial!.NextBatch), Is.EqualTo(("interrupt", 1, 7)));
        Assert.That(Rows(resumed), Is.EqualTo(Rows(straight)));
        Assert.That(resumed.FinalMetrics, Is.EqualTo(straight.FinalMetrics));
    }

    [Test]
    public void AFinalCheckpointHoldsTheLiveWeightsNotTheRestoredOrAveragedOnesSoExtendingTheRunIsExact()
    {
        // Early stopping restores epoch 1's weights and RunningStats loads its average for the test; the final checkpoint
        // (epoch 5, distinct from the every-2-epochs ones) must still hold the live weights and the weight average.
        TrainingCallback[] Set(CheckpointOptions checkpoint) =>
        [
            new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0, WeightAverage = true, WeightBeta = 0.9 }),
            new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "train_loss", Mode = MonitorMode.Max, Patience = 50, RestoreBestWeights = true }),
            new CheckpointCallback(checkpoint),
        ];
        using var straightDir = new TempFolder();
        using var splitDir = new TempFolder();
        var recipe6 = Recipe(6);
        recipe6.Optimizer.Kind = "momentum";
        var straight = TestTraining.TrainIn(straightDir.Path, recipe6, null, NullLogger.Instance, CancellationToken.None, null,
            Set(new CheckpointOptions { EveryEpochs = 2 }));
        var recipe5 = Recipe(5);
        recipe5.Optimizer.Kind = "momentum";
        TestTraining.TrainIn(splitDir.Path, recipe5, null, NullLogger.Instance, CancellationToken.None, null, Set(new CheckpointOptions { EveryEpochs = 2 }));
        var final = CheckpointFile.Read(Directory.GetFiles(Path.Combine(splitDir.Path, "checkpoints"), "epoch-0005-*").Single());

        var resumed = TestTraining.TrainIn(splitDir.Path, recipe6, null, NullLogger.Instance, CancellationToken.None, final,
            Set(new CheckpointOptions { EveryEpochs = 2 }));

        Assert.That(final.Reason, Is.EqualTo("final"));
        Assert.That(Rows(resumed), Is.EqualTo(Rows(straight)), "epoch 6 continues from the live weights with the same average");
    }

    [Test]
    public void ANonFiniteLossLeavesTheLastGoodCheckpointAsTheLatest()
    {
        using var dir = new TempFolder();
        var recipe = Recipe(3);
        recipe.Training.NonFiniteCheckEvery = 0; // checked only at epoch end: timed checkpoints come first
        var result = TestTraining.TrainIn(dir.Path, recipe, null, NullLogger.Instance, CancellationToken.None, null,
            new PoisonAtStep(25), new CheckpointCallback(new CheckpointOptions { EveryMinutes = 1e-9, KeepLast = 2 }));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        var files = Directory.GetFiles(Path.Combine(dir.Path, "checkpoints")).Select(Path.GetFileName).ToArray();
        Assert.That(files, Is.EquivalentTo(new[] { "epoch-0001-step-00000023.ckpt", "epoch-0001-step-00000024.ckpt" }),
            "the weights went bad in step 25; nothing after step 24 was written");
    }

    [Test]
    public void KeepsTheLastKAndTheBestByTheMonitor()
    {
        var callback = new CheckpointCallback(new CheckpointOptions { KeepLast = 2, Monitor = "scripted", SaveOnStop = false });
        using var harness = new CallbackHarness(callback) { StepsPerEpoch = 3, Metrics = { { "scripted", 5, 1, 3, 4, 2 } } };

        harness.Run();

        var folder = Path.Combine(harness.RunDirectory, "checkpoints");
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToArray();
        Assert.That(files, Is.EqualTo(new[] { "best.ckpt", "epoch-0004-step-00000012.ckpt", "epoch-0005-step-00000015.ckpt" }));
        var best = CheckpointFile.Read(Path.Combine(folder, "best.ckpt"));
        Assert.That((best.Reason, best.CompletedEpochs), Is.EqualTo(("best", 2)));
    }

    [Test]
    public void ADamagedCheckpointNeverCountsTowardKeepLastAndIsReportedAsAWarning()
    {
        using var dir = new TempFolder();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "checkpoints")).FullName;
        // A file that sorts after every real one: counted, it would keep its place and push the good ones out.
        var planted = Path.Combine(folder, "epoch-9999-step-99999999.ckpt");
        File.WriteAllBytes(planted, [1, 2, 3, 4]);
        using var harness = new CallbackHarness(new CheckpointCallback(new CheckpointOptions { KeepLast = 2, SaveOnStop = false }))
        {
            Epochs = 4, StepsPerEpoch = 3, RunDirectory = dir.Path,
        };

        var result = harness.Run();

        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToArray();
        Assert.That(files, Is.EqualTo(new[] { "epoch-0003-step-00000009.ckpt", "epoch-0004-step-00000012.ckpt", "epoch-9999-step-99999999.ckpt" }),
            "the two newest good ones are kept; the damaged file is neither counted nor deleted");
        var warning = result.Events.Single(e => e.Id.Id == 342);
        Assert.That(warning.Properties["CheckpointPath"], Is.EqualTo(planted));
    }

    [Test]
    public void TheEpochCheckpointHoldsStateThatLaterCallbacksUpdatedInTheSameEpoch()
    {
        var earlyStopping = new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "scripted", Patience = 10 });
        // Checkpoint is listed before early stopping, yet its file must include early stopping's update for the epoch.
        using var harness = new CallbackHarness(new CheckpointCallback(new CheckpointOptions { SaveOnStop = false }), earlyStopping)
        {
            StepsPerEpoch = 3, Metrics = { { "scripted", 3, 2, 1 } },
        };

        harness.Run();

        var checkpoint = CheckpointFile.Read(Path.Combine(harness.RunDirectory, "checkpoints", "epoch-0003-step-00000009.ckpt"));
        Assert.That(CallbackState.FromJson(checkpoint.CallbackStates[earlyStopping.StateKey]).GetDouble("best"), Is.EqualTo(1));
    }

    [Test]
    public void NoFinalCheckpointIsWrittenAfterAFailureSoTheLastGoodOneStaysLatest()
    {
        using var harness = new CallbackHarness(new CheckpointCallback(new CheckpointOptions()), new FailInEpoch(2)) { Epochs = 3, StepsPerEpoch = 3 };

        var result = harness.Run();

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(Directory.GetFiles(Path.Combine(harness.RunDirectory, "checkpoints")).Select(Path.GetFileName),
            Is.EqualTo(new[] { "epoch-0001-step-00000003.ckpt" }));
    }

    [Test]
    public void AFinalCheckpointIsWrittenWhenTheRunEndsOrIsInterrupted()
    {
        using var completed = new CallbackHarness(new CheckpointCallback(new CheckpointOptions { EveryEpochs = 0 })) { Epochs = 2, StepsPerEpoch = 3 };
        using var interrupted = new CallbackHarness(new CheckpointCallback(new CheckpointOptions { EveryEpochs = 0 }))
        {
            Epochs = 2, StepsPerEpoch = 3, InterruptAfterStep = 4,
        };

        completed.Run();
        interrupted.Run();

        var final = CheckpointFile.Read(Directory.GetFiles(Path.Combine(completed.RunDirectory, "checkpoints")).Single());
        var interrupt = CheckpointFile.Read(Directory.GetFiles(Path.Combine(interrupted.RunDirectory, "checkpoints")).Single());
        Assert.That((final.Reason, final.CompletedEpochs, final.GlobalStep), Is.EqualTo(("final", 2, 6L)));
        Assert.That((interrupt.Reason, interrupt.CompletedEpochs, interrupt.GlobalStep), Is.EqualTo(("interrupt", 1, 4L)));
    }

    private sealed class CancelAfterEpoch(int epoch, CancellationTokenSource source) : TrainingCallback
    {
        public override void OnEpochEnd(EpochContext context)
        {
            if (context.Epoch == epoch) source.Cancel();
        }
    }

    private sealed class CancelAtStep(long step, CancellationTokenSource source) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            if (context.GlobalStep == step) source.Cancel();
        }
    }

    private sealed class PoisonAtStep(long step) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            if (context.GlobalStep != step - 1) return;
            using var noGrad = TorchSharp.torch.no_grad();
            foreach (var p in context.Model.parameters()) p.fill_(double.NaN);
        }
    }

    private sealed class FailInEpoch(int epoch) : TrainingCallback
    {
        public override void OnBatchStart(BatchContext context)
        {
            if (context.Epoch == epoch) throw new InvalidOperationException("boom");
        }
    }
}
