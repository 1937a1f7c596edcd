using Trainer.Callbacks;
using Trainer.Testing;
using Trainer.Tests.Support;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Tests.Testing;

public sealed class CallbackHarnessTests
{
    // The digits recipe in batches of 512: 1,222 training examples, 3 steps per epoch.
    private const int RealStepsPerEpoch = 3;

    private static (List<string> Real, List<string> Harness) BothRuns(int epochs, Func<HookProbe> probe)
    {
        var real = probe();
        TestTraining.Train(TestTraining.Digits(epochs), real);
        var scripted = probe();
        using var harness = new CallbackHarness(scripted) { Epochs = epochs, StepsPerEpoch = RealStepsPerEpoch };
        harness.Run();
        return (real.Lines, scripted.Lines);
    }

    [Test]
    public void HooksAndWhatTheirContextsShowMatchARealRun()
    {
        var (real, harness) = BothRuns(2, () => new HookProbe());

        Assert.That(real, Has.Count.EqualTo(1 + 2 * (3 * RealStepsPerEpoch + 3) + 1));
        Assert.That(harness, Is.EqualTo(real));
    }

    [Test]
    public void AStopFromABatchHookEndsTheEpochAfterThatBatchAsInARealRun()
    {
        var (real, harness) = BothRuns(3, () => new HookProbe(stopAtStep: 5));

        Assert.That(real[^1], Does.Contain("status=StoppedEarly"));
        Assert.That(harness, Is.EqualTo(real));
    }

    [Test]
    public void AStopFromAnEpochHookEndsTheRunBeforeTheNextEpochAsInARealRun()
    {
        var (real, harness) = BothRuns(3, () => new HookProbe(stopAtEpoch: 2));

        Assert.That(real[^1], Does.StartWith("OnTrainEnd epoch=2/3"));
        Assert.That(harness, Is.EqualTo(real));
    }

    [Test]
    public void AnExceptionInAHookRaisesOnExceptionAsInARealRun()
    {
        var (real, harness) = BothRuns(2, () => new HookProbe(throwAtStep: 2));

        Assert.That(real[^1], Is.EqualTo("OnException epoch=1/2 step=2 steps/epoch=3 history=0 stop= Callback HookProbe failed in OnBatchEnd: boom"));
        Assert.That(harness, Is.EqualTo(real));
    }

    [Test]
    public void TheResultListsTheHooksRaisedAndHowTheRunEnded()
    {
        using var harness = new CallbackHarness(new HookProbe(stopAtEpoch: 2)) { Epochs = 4, StepsPerEpoch = 2 };

        var result = harness.Run();

        Assert.That(result.Status, Is.EqualTo(RunStatus.StoppedEarly));
        Assert.That((result.EpochsCompleted, result.GlobalStep), Is.EqualTo((2, 4L)));
        Assert.That(result.StopRequest, Is.EqualTo(new StopRequest("probe-stop", "asked by the probe", "HookProbe")));
        Assert.That(result.Hooks.Take(4), Is.EqualTo(new[]
        {
            new HookCall("OnTrainStart", 0, null, 0), new HookCall("OnEpochStart", 1, null, 0),
            new HookCall("OnBatchStart", 1, 0, 0), new HookCall("OnAfterBackward", 1, 0, 0),
        }));
        Assert.That(result.Hooks[^1], Is.EqualTo(new HookCall("OnTrainEnd", 2, null, 4)));
        Assert.That(result.HookNames.Count(h => h == "OnBatchEnd"), Is.EqualTo(4));
    }

    [Test]
    public void TrainLossAccuracyAndLrAreComputedFromTheStepsAndScriptedMetricsAreAdded()
    {
        using var harness = new CallbackHarness(new RateByStep())
        {
            StepsPerEpoch = 4, BatchSize = 10, LearningRate = 0.1,
            StepLoss = step => step, StepAccuracy = step => step / 10.0,
            Metrics = { { "val_loss", 0.5, 0.25 } },
        };

        var result = harness.Run();

        Assert.That(result.EpochsCompleted, Is.EqualTo(2), "as many epochs as scripted");
        var first = result.History[0];
        Assert.That(first[MetricNames.TrainLoss], Is.EqualTo((1 + 2 + 3 + 4) / 4.0));
        Assert.That(first[MetricNames.TrainAccuracy], Is.EqualTo((1 + 2 + 3 + 4) / 40.0));
        Assert.That(first[MetricNames.ValLoss], Is.EqualTo(0.5));
        Assert.That(result.StepLearningRates, Is.EqualTo(new[] { 1.0, 1 / 2.0, 1 / 3.0, 1 / 4.0, 1 / 5.0, 1 / 6.0, 1 / 7.0, 1 / 8.0 }));
        Assert.That(result.EpochLearningRates[0], Is.EqualTo((1 + 1 / 2.0 + 1 / 3.0 + 1 / 4.0) / 4).Within(1e-15), "the mean rate of an epoch whose rate changed");
        Assert.That(result.History[1][MetricNames.ValLoss], Is.EqualTo(0.25));
    }

    [Test]
    public void TheFakeOptimizerTakesPlainSgdStepsWithTheScriptedGradients()
    {
        using var harness = new CallbackHarness(new RateByStep())
        {
            StepsPerEpoch = 3, LearningRate = 1,
            Gradients = (model, step) =>
            {
                foreach (var p in model.parameters()) p.grad!.fill_(0.5 * step);
            },
        };
        using var initial = harness.Optimizer.parameters().First().detach().clone();

        var result = harness.Run();

        // w3 = w0 − Σ lr_k · g_k with lr_k = 1/k and g_k = 0.5·k: every step moves each weight by −0.5.
        Assert.That(result.StepLearningRates, Is.EqualTo(new[] { 1.0, 0.5, 1 / 3.0 }));
        using var final = LoadFirstWeight(result.Checkpoints[0].Model.ToArray());
        Assert.That(final.allclose(initial - 1.5, rtol: 0, atol: 1e-6), Is.True);
    }

    private static Tensor LoadFirstWeight(byte[] modelBytes)
    {
        using var model = nn.Sequential(("flatten", nn.Flatten()), ("fc1", nn.Linear(4, 8)), ("relu", nn.ReLU()), ("out", nn.Linear(8, 3)));
        using (var reader = new BinaryReader(new MemoryStream(modelBytes))) model.load(reader);
        return model.parameters().First().detach().clone();
    }

    [Test]
    public void ResumingFromAnEpochCheckpointContinuesAsTheUninterruptedRun()
    {
        using var whole = new CallbackHarness(new CountingCallback()) { Epochs = 5, StepsPerEpoch = 2, Metrics = { { "val_loss", 5, 4, 3, 2, 1 } } };
        var straight = whole.Run();
        var resumedCallback = new CountingCallback();
        using var second = new CallbackHarness(resumedCallback) { Epochs = 5, StepsPerEpoch = 2, Metrics = { { "val_loss", 5, 4, 3, 2, 1 } } };

        var resumed = second.Run(straight.Checkpoints[2]);

        Assert.That(resumed.Hooks[0], Is.EqualTo(new HookCall("OnTrainStart", 0, null, 6)), "the restored run starts after step 6");
        Assert.That(resumed.HookNames.Count(h => h == "OnEpochStart"), Is.EqualTo(2));
        Assert.That(resumedCallback.Steps, Is.EqualTo(10), "6 counted before the checkpoint and restored, 4 after");
        Assert.That(resumed.History.Select(h => h[MetricNames.ValLoss]), Is.EqualTo(straight.History.Select(h => h[MetricNames.ValLoss])));
        Assert.That(resumed.Checkpoints[^1].CallbackStates, Is.EqualTo(straight.Checkpoints[^1].CallbackStates));
    }

    [Test]
    public void AnInterruptionEndsTheRunWithoutRecordingTheEpoch()
    {
        var probe = new HookProbe();
        using var harness = new CallbackHarness(probe) { Epochs = 3, StepsPerEpoch = 2, InterruptAfterStep = 3 };

        var result = harness.Run();

        Assert.That((result.Status, result.EpochsCompleted, result.GlobalStep), Is.EqualTo((RunStatus.Interrupted, 1, 3L)));
        Assert.That(probe.Lines[^1], Does.StartWith("OnTrainEnd epoch=2/3 step=3").And.EndWith("status=Interrupted"));
    }

    [Test]
    public void ANonFiniteValidationLossFailsTheRunAsTheLoopDoes()
    {
        using var harness = new CallbackHarness(new HookProbe()) { Metrics = { { "val_loss", 1, double.NaN, 1 } } };

        var result = harness.Run();

        Assert.That((result.Status, result.EpochsCompleted), Is.EqualTo((RunStatus.Failed, 2)));
        Assert.That(result.FailureMessage, Does.StartWith("The val_loss became NaN in epoch 2 (after step 2)"));
        Assert.That(result.HookNames.Last(), Is.EqualTo("OnTrainEnd"));
    }

    [Test]
    public void ContextBuildersShowTheScriptedHistoryAndAttributeStopsToTheCallback()
    {
        var probe = new HookProbe(stopAtEpoch: 3);
        using var harness = new CallbackHarness(probe) { StepsPerEpoch = 5, Metrics = { { "val_loss", 3, 2, 1 } } };

        var context = harness.EpochContext(3);
        probe.OnEpochEnd(context);

        Assert.That(context.History.Select(h => h[MetricNames.ValLoss]), Is.EqualTo(new double?[] { 3, 2 }));
        Assert.That(context.Metrics[MetricNames.ValLoss], Is.EqualTo(1));
        Assert.That(context.GlobalStep, Is.EqualTo(10));
        Assert.That(harness.StopRequest, Is.EqualTo(new StopRequest("probe-stop", "asked by the probe", "HookProbe")));
    }

    [Test]
    public void ABatchContextCarriesTheScriptedTensorsAndGradients()
    {
        using var harness = new CallbackHarness(new HookProbe()) { StepsPerEpoch = 4, BatchSize = 8, StepLoss = step => step * 0.25, StepAccuracy = _ => 0.75 };

        var batch = harness.BatchContext(epoch: 2, batchIndex: 1);

        Assert.That((batch.GlobalStep, batch.BatchIndex, batch.BatchCount, batch.BatchSize), Is.EqualTo((5L, 1, 4, 8L)));
        Assert.That(batch.Inputs.shape, Is.EqualTo(new long[] { 8, 4 }));
        Assert.That(batch.Loss!.item<float>(), Is.EqualTo(1.5f), "step 6's loss");
        Assert.That(batch.Correct!.item<long>(), Is.EqualTo(6));
        using var grad = batch.Model.parameters().First().grad;
        Assert.That(grad!.sum().item<float>(), Is.EqualTo(grad.numel()), "every gradient entry is 1 by default");
    }

    /// <summary>Sets the rate of step k to 1/k before it.</summary>
    private sealed class RateByStep : TrainingCallback
    {
        public override void OnBatchStart(BatchContext context) => context.LearningRate = 1.0 / (context.GlobalStep + 1);
    }

    /// <summary>Counts steps; the count is its checkpointed state.</summary>
    private sealed class CountingCallback : TrainingCallback, IStatefulCallback
    {
        public long Steps { get; private set; }

        public string StateKey => "Counting";

        public override void OnBatchEnd(BatchContext context) => Steps++;

        public CallbackState SaveState() => new CallbackState().Set("steps", Steps);

        public void LoadState(CallbackState state) => Steps = state.GetInt64("steps");
    }
}
