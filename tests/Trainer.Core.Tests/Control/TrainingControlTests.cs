using System.Diagnostics;
using Trainer.Callbacks;
using Trainer.Control;
using Trainer.Tests.Support;
using Trainer.Training;

namespace Trainer.Tests.Control;

public sealed class TrainingControlTests
{
    /// <summary>Submits <paramref name="command"/> from another thread after the batch that ends step <paramref name="step"/>.</summary>
    private sealed class SubmitAfterStep(TrainingControl control, long step, ControlCommand command) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            if (context.GlobalStep == step) Task.Run(() => Assert.That(control.Submit(command).Accepted, Is.True)).Wait();
        }
    }

    /// <summary>Records the learning rate and base rate at each batch start, and the training thread.</summary>
    private sealed class RateRecorder : TrainingCallback
    {
        public List<(long Step, double Rate, double Base)> Rates { get; } = [];
        public int Thread { get; private set; }

        public override void OnBatchStart(BatchContext context)
        {
            Thread = Environment.CurrentManagedThreadId;
            Rates.Add((context.GlobalStep, context.LearningRate, context.BaseLearningRate));
        }
    }

    private static TrainingResult Train(Trainer.Recipes.RecipeOptions recipe, TrainingControl control, CancellationToken cancellation, params TrainingCallback[] callbacks)
    {
        var directory = Directory.CreateTempSubdirectory("trainer-control-").FullName;
        try
        {
            using var setup = TrainingSetup.Create(recipe, directory);
            var loop = new TrainingLoop(setup, new CallbackPipeline(callbacks), new RunInfo("control-run", directory),
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance) { Control = control };
            return loop.Run(cancellation);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void ALearningRateCommandIsAppliedByTheLoopAtTheNextBatchAndScalesTheBaseRate()
    {
        using var control = new TrainingControl(checkpointAvailable: false);
        var applied = new List<(ControlApplied Event, int Thread)>();
        control.Applied += e => applied.Add((e, Environment.CurrentManagedThreadId));
        var recorder = new RateRecorder();

        var result = Train(TestTraining.Digits(epochs: 2, batchSize: 256), control, CancellationToken.None,
            new SubmitAfterStep(control, 2, new ControlCommand(ControlAction.LearningRate, "test") { Factor = 0.5 }), recorder);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(recorder.Rates.Where(r => r.Step < 2).Select(r => (r.Rate, r.Base)), Is.All.EqualTo((0.01, 0.01)));
        Assert.That(recorder.Rates.Where(r => r.Step >= 2).Select(r => (r.Rate, r.Base)), Is.All.EqualTo((0.005, 0.005)), "from the next batch on");
        Assert.That(result.History[1][MetricNames.LearningRate], Is.EqualTo(0.005), "the next epoch's lr column");
        Assert.That(applied, Has.Count.EqualTo(1));
        Assert.That((applied[0].Event.Action, applied[0].Event.Field, applied[0].Event.OldValue, applied[0].Event.NewValue, applied[0].Event.Step),
            Is.EqualTo(("lr", "lr", (object)0.01, (object)0.005, 2L)));
        Assert.That(applied[0].Thread, Is.EqualTo(recorder.Thread), "applied on the training thread");
    }

    [Test]
    public void AStopCommandEndsTheRunBeforeTheNextBatchWithStatusStopped()
    {
        using var control = new TrainingControl(checkpointAvailable: false);

        var result = Train(TestTraining.Digits(epochs: 3, batchSize: 128), control, CancellationToken.None,
            new SubmitAfterStep(control, 3, new ControlCommand(ControlAction.Stop, "test")));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Stopped));
        Assert.That(result.EpochsCompleted, Is.EqualTo(0), "the unfinished epoch is not recorded");
        Assert.That(control.Progress.Step, Is.EqualTo(3));
        Assert.That(control.Submit(new ControlCommand(ControlAction.Pause, "test")).Rejection, Is.EqualTo(ControlRejection.Ended));
    }

    [Test]
    public async Task APausedLoopWaitsForResumeAndThePauseIsNotTrainingTime()
    {
        using var control = new TrainingControl(checkpointAvailable: false);
        var clock = Stopwatch.StartNew();
        Task? resumer = null;
        // The pause lasts at least 1.5 s: the bounds below are lower bounds, which a loaded machine only makes safer.
        control.Applied += e =>
        {
            if (e.Action == "pause") resumer = Task.Run(async () =>
            {
                await Task.Delay(1500);
                control.Submit(new ControlCommand(ControlAction.Resume, "test"));
            });
        };

        var result = Train(TestTraining.Digits(epochs: 1, batchSize: 128), control, CancellationToken.None,
            new SubmitAfterStep(control, 2, new ControlCommand(ControlAction.Pause, "test")));
        await resumer!; // owned by the test: nothing is left running after it

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(clock.Elapsed.TotalSeconds, Is.GreaterThan(1.5));
        Assert.That(control.Progress.PausedSeconds, Is.GreaterThan(1.4));
        Assert.That(result.History[0].Seconds, Is.LessThan(clock.Elapsed.TotalSeconds - 1.4), "the epoch's seconds leave the pause out");
    }

    [Test]
    public void AShutdownWhilePausedEndsTheRunAsInterrupted()
    {
        using var control = new TrainingControl(checkpointAvailable: false);
        using var shutdown = new CancellationTokenSource();
        control.Applied += e =>
        {
            if (e.Action == "pause") shutdown.CancelAfter(300);
        };

        var result = Train(TestTraining.Digits(epochs: 2, batchSize: 128), control, shutdown.Token,
            new SubmitAfterStep(control, 1, new ControlCommand(ControlAction.Pause, "test")));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(control.Progress.Step, Is.EqualTo(1));
    }

    [TestCase(0.0, null, "value")]
    [TestCase(-1.0, null, "value")]
    [TestCase(double.NaN, null, "value")]
    [TestCase(double.PositiveInfinity, null, "value")]
    [TestCase(null, 0.0, "factor")]
    [TestCase(null, -0.5, "factor")]
    [TestCase(0.1, 0.5, "factor")]
    [TestCase(null, null, "value")]
    public void InvalidLearningRateCommandsAreRefusedNamingTheField(double? value, double? factor, string field)
    {
        using var control = new TrainingControl(checkpointAvailable: true);

        var result = control.Submit(new ControlCommand(ControlAction.LearningRate, "test") { Value = value, Factor = factor });

        Assert.That((result.Accepted, result.Rejection, result.Field), Is.EqualTo((false, (ControlRejection?)ControlRejection.Invalid, field)));
        Assert.That(result.Message, Does.Contain(field));
    }

    [Test]
    public void CheckpointNowIsRefusedWithoutACheckpointCallback()
    {
        using var control = new TrainingControl(checkpointAvailable: false);

        var result = control.Submit(new ControlCommand(ControlAction.Checkpoint, "test"));

        Assert.That(result.Rejection, Is.EqualTo(ControlRejection.Unavailable));
        Assert.That(result.Message, Does.Contain("Checkpoint callback"));
    }

    [Test]
    public void CheckpointsCarryTheChangedRatesAndAResumeRestoresThem()
    {
        using var control = new TrainingControl(checkpointAvailable: false);
        Trainer.Checkpoints.TrainingCheckpoint? captured = null;
        var capture = new CaptureAtEpochEnd(c => captured = c);

        Train(TestTraining.Digits(epochs: 1, batchSize: 128), control, CancellationToken.None,
            new SubmitAfterStep(control, 2, new ControlCommand(ControlAction.LearningRate, "test") { Value = 0.002 }), capture);

        Assert.That((captured!.LearningRate, captured.BaseLearningRate), Is.EqualTo(((double?)0.002, (double?)0.002)));
        var file = Path.Combine(Path.GetTempPath(), $"control-{Guid.NewGuid():N}.ckpt");
        try
        {
            Trainer.Checkpoints.CheckpointFile.Write(file, captured);
            var read = Trainer.Checkpoints.CheckpointFile.Read(file);
            Assert.That((read.LearningRate, read.BaseLearningRate), Is.EqualTo(((double?)0.002, (double?)0.002)));

            var recorder = new RateRecorder();
            var directory = Directory.CreateTempSubdirectory("trainer-control-").FullName;
            using (var setup = TrainingSetup.Create(TestTraining.Digits(epochs: 2, batchSize: 128), directory))
                new TrainingLoop(setup, new CallbackPipeline([recorder]), new RunInfo("resumed", directory),
                    Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Run(CancellationToken.None, read);
            Directory.Delete(directory, recursive: true);
            Assert.That(recorder.Rates.Select(r => (r.Rate, r.Base)), Is.All.EqualTo((0.002, 0.002)), "the resumed run keeps the changed rates, not the recipe's 0.01");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class CaptureAtEpochEnd(Action<Trainer.Checkpoints.TrainingCheckpoint> captured) : TrainingCallback
    {
        public override void OnEpochEnd(EpochContext context) => captured(context.CaptureCheckpoint("epoch"));
    }
}
