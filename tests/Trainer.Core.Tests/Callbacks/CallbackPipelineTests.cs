using Trainer.Callbacks;
using Trainer.Tests.Support;
using Trainer.Training;

namespace Trainer.Tests.Callbacks;

public sealed class CallbackPipelineTests
{
    [Test]
    public void HooksRunInOrderForATwoEpochRunAndCallbacksInRecipeOrder()
    {
        var calls = new List<string>();
        // 1,797 digits: 359 test, 216 validation, 1,222 training examples → 3 batches of up to 512.
        var result = TestTraining.Train(TestTraining.Digits(epochs: 2, batchSize: 512),
            new RecordingCallback("A", calls), new RecordingCallback("B", calls));

        var expected = new List<string> { "A.TrainStart", "B.TrainStart" };
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            expected.AddRange([$"A.EpochStart{epoch}", $"B.EpochStart{epoch}"]);
            for (var batch = 0; batch < 3; batch++)
                expected.AddRange(["A.BatchStart", "B.BatchStart", "A.AfterBackward", "B.AfterBackward", "A.BatchEnd", "B.BatchEnd"]);
            expected.AddRange([$"A.ValidationEnd{epoch}", $"B.ValidationEnd{epoch}", $"A.EpochEnd{epoch}", $"B.EpochEnd{epoch}"]);
        }
        expected.AddRange(["A.TrainEnd:Completed", "B.TrainEnd:Completed"]);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);
        Assert.That(calls, Is.EqualTo(expected));
    }

    [Test]
    public void AStopRequestEndsTheRunWithItsReasonAndTheFirstRequestWins()
    {
        var result = TestTraining.Train(TestTraining.Digits(epochs: 10), new StopAtEpoch(3, "first"), new StopAtEpoch(3, "second"));

        Assert.That(result.Status, Is.EqualTo(RunStatus.StoppedEarly));
        Assert.That(result.EpochsCompleted, Is.EqualTo(3));
        Assert.That(result.StopRequest, Is.EqualTo(new StopRequest("target-reached", "first stopped at 3", "first")));
        Assert.That(result.FinalMetrics.Keys, Is.SupersetOf(new[] { MetricNames.TestAccuracy, MetricNames.TestLoss }));
    }

    [Test]
    public void AStopRequestedInABatchHookEndsTheEpochEarly()
    {
        var result = TestTraining.Train(TestTraining.Digits(epochs: 5, batchSize: 64), new StopAtStep(5));

        Assert.That(result.Status, Is.EqualTo(RunStatus.StoppedEarly));
        Assert.That(result.EpochsCompleted, Is.EqualTo(1));
        Assert.That(result.StopRequest!.Reason, Is.EqualTo("step-limit"));
    }

    [Test]
    public void AnExceptionInAHookFailsTheRunAndCallsOnException()
    {
        var calls = new List<string>();
        var result = TestTraining.Train(TestTraining.Digits(), new RecordingCallback("R", calls), new ThrowingCallback());

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.Exception, Is.TypeOf<CallbackException>());
        Assert.That(result.Exception!.InnerException, Is.TypeOf<InvalidOperationException>());
        Assert.That(result.FailureMessage, Is.EqualTo("Callback Throwing failed in OnEpochEnd: boom at epoch 1"));
        Assert.That(calls, Does.Contain("R.Exception"));
        Assert.That(calls, Has.None.StartsWith("R.TrainEnd"));
    }

    [Test]
    public void CallbacksCanChangeTheLearningRateForEveryParameterGroup()
    {
        var result = TestTraining.Train(TestTraining.Digits(epochs: 3), new HalveLearningRate());

        Assert.That(result.History.Select(h => h[MetricNames.LearningRate]), Is.EqualTo(new double?[] { 0.005, 0.0025, 0.00125 }));
    }

    [Test]
    public void TwoStatefulCallbacksWithTheSameKeyAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new CallbackPipeline([new Stateful("k"), new Stateful("k")]));
        Assert.That(error!.Message, Does.StartWith("Two callbacks share the state key 'k'"));
    }

    private sealed class StopAtEpoch(int epoch, string name) : TrainingCallback
    {
        public override string Name => name;
        public override void OnEpochEnd(EpochContext context)
        {
            if (context.Epoch == epoch) context.RequestStop(TestReason.TargetReached, $"{name} stopped at {epoch}");
        }
    }

    private enum TestReason { TargetReached }

    private sealed class StopAtStep(long step) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            if (context.GlobalStep == step) context.RequestStop("step-limit", "enough steps");
        }
    }

    private sealed class ThrowingCallback : TrainingCallback
    {
        public override void OnEpochEnd(EpochContext context) => throw new InvalidOperationException($"boom at epoch {context.Epoch}");
    }

    private sealed class HalveLearningRate : TrainingCallback
    {
        public override void OnEpochStart(EpochContext context) => context.LearningRate /= 2;
    }

    private sealed class Stateful(string key) : TrainingCallback, IStatefulCallback
    {
        public string StateKey => key;
        public CallbackState SaveState() => new();
        public void LoadState(CallbackState state) { }
    }
}
