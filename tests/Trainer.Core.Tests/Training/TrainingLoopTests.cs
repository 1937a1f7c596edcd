using Trainer.Callbacks;
using Trainer.Recipes;
using Trainer.Tests.Support;
using Trainer.Training;

namespace Trainer.Tests.Training;

public sealed class TrainingLoopTests
{
    [Test]
    public void TheSameSeedGivesIdenticalMetricsAndAnotherSeedDoesNot()
    {
        var a = TestTraining.Train(TestTraining.Digits(epochs: 3, batchSize: 64, seed: 5, dropout: 0.2));
        var b = TestTraining.Train(TestTraining.Digits(epochs: 3, batchSize: 64, seed: 5, dropout: 0.2));
        var c = TestTraining.Train(TestTraining.Digits(epochs: 3, batchSize: 64, seed: 6, dropout: 0.2));

        var metrics = (TrainingResult r) => r.History.SelectMany(h => h.Values.OrderBy(p => p.Key).Select(p => p.Value)).ToList();
        Assert.That(metrics(a), Is.EqualTo(metrics(b)));
        Assert.That(a.FinalMetrics, Is.EqualTo(b.FinalMetrics));
        Assert.That(metrics(a), Is.Not.EqualTo(metrics(c)));
    }

    [Test]
    public void EpochsAreNumberedFromOneAndCarryEveryStandardMetric()
    {
        var result = TestTraining.Train(TestTraining.Digits(epochs: 2));

        Assert.That(result.History.Select(h => h.Epoch), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(result.History[0].Values.Keys, Is.EquivalentTo(new[]
        {
            MetricNames.LearningRate, MetricNames.TrainLoss, MetricNames.TrainAccuracy, MetricNames.ValLoss, MetricNames.ValAccuracy,
        }));
        Assert.That(result.FinalMetrics.Keys, Is.EquivalentTo(new[]
        {
            MetricNames.ValLoss, MetricNames.ValAccuracy, MetricNames.TestLoss, MetricNames.TestAccuracy, "last_val_loss", "last_val_accuracy",
        }));
        Assert.That(result.History[1][MetricNames.TrainLoss], Is.LessThan(result.History[0][MetricNames.TrainLoss]!.Value));
    }

    [Test]
    public void TheReportedLossIsTheMeanCrossEntropyOverTheEpoch()
    {
        var batchLosses = new List<(double Loss, long Size)>();
        var result = TestTraining.Train(TestTraining.Digits(epochs: 1, batchSize: 100), new LossRecorder(batchLosses));

        var expected = batchLosses.Sum(b => b.Loss * b.Size) / batchLosses.Sum(b => b.Size);
        Assert.That(result.History[0][MetricNames.TrainLoss], Is.EqualTo(expected).Within(1e-6));
        Assert.That(batchLosses.Sum(b => b.Size), Is.EqualTo(1222));
    }

    [Test]
    public void ANonFiniteLossFailsTheRunNamingTheEpoch()
    {
        var recipe = TestTraining.Digits(epochs: 5, batchSize: 64);
        recipe.Optimizer = new OptimizerOptions { Kind = "sgd", LearningRate = 1e30 };
        recipe.Model.BatchNorm = false;

        var result = TestTraining.Train(recipe);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.FailureMessage, Does.Match(@"^The training loss became NaN or infinite at step \d+ \(epoch 1\); lower Optimizer:LearningRate"));
        Assert.That(result.EpochsCompleted, Is.EqualTo(0), "the broken epoch is not recorded");
        Assert.That(result.FinalMetrics.ContainsKey(MetricNames.TestAccuracy), Is.False);
    }

    [Test]
    public void TheNonFiniteCheckNamesTheFirstBadStepAndStopsWithinTheCheckInterval()
    {
        var recipe = TestTraining.Digits(epochs: 5, batchSize: 64);
        recipe.Optimizer = new OptimizerOptions { Kind = "sgd", LearningRate = 1 };
        recipe.Model.BatchNorm = false;
        recipe.Training.NonFiniteCheckEvery = 3;
        var steps = new List<long>();

        var result = TestTraining.Train(recipe, new PoisonLossAtStep(7), new StepCounter(steps));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.FailureMessage, Does.StartWith("The training loss became NaN or infinite at step 7 (epoch 1)"));
        Assert.That(steps.Max(), Is.EqualTo(9), "noticed at the next check, step 9");
    }

    [Test]
    public void WithTerminateOnNonFiniteOffTrainingGoesOn()
    {
        var recipe = TestTraining.Digits(epochs: 2, batchSize: 64);
        recipe.Training.TerminateOnNonFinite = false;

        var result = TestTraining.Train(recipe, new PoisonLossAtStep(7));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(result.History[0][MetricNames.TrainLoss], Is.NaN);
    }

    [Test]
    public void CancellationInterruptsAfterTheCurrentBatch()
    {
        using var cancellation = new CancellationTokenSource();
        var result = TestTraining.Train(TestTraining.Digits(epochs: 50, batchSize: 64), cancellation.Token, new CancelAtStep(30, cancellation));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(result.EpochsCompleted, Is.EqualTo(1), "epoch 2 was cut short and is not recorded");
        Assert.That(result.FinalMetrics.ContainsKey(MetricNames.TestAccuracy), Is.False);
    }

    [Test]
    public void SetMetricAfterTheEpochWasRecordedThrowsInsteadOfLosingTheValue()
    {
        var result = TestTraining.Train(TestTraining.Digits(epochs: 1), new LateMetric());

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.FailureMessage, Is.EqualTo(
            "Callback LateMetric failed in OnEpochEnd: SetMetric('late') came after epoch 1's metrics were recorded; call it in OnValidationEnd or earlier."));
    }

    [Test]
    public void ANonFiniteValidationLossFailsTheRun()
    {
        var result = TestTraining.Train(TestTraining.Digits(epochs: 3), new PoisonBatchNormStatistics());

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.History[0][MetricNames.TrainLoss], Is.Not.NaN, "training used batch statistics");
        Assert.That(result.FailureMessage, Does.StartWith("The val_loss became NaN in epoch 1"));
    }

    [Test]
    public void CudaAskedForWithoutCudaIsAClearError()
    {
        Assume.That(TorchSharp.torch.cuda.is_available(), Is.False, "this checks the message on machines without CUDA");
        var error = Assert.Throws<RecipeException>(() => DeviceResolver.Resolve("cuda:1"));
        Assert.That(error!.Message, Does.StartWith("Training:Device is 'cuda:1' but CUDA is not available"));
        Assert.That(DeviceResolver.Resolve("auto").type, Is.EqualTo(TorchSharp.DeviceType.CPU));
    }

    /// <summary>Makes the weights NaN after the given step, so the next step's loss is NaN.</summary>
    private sealed class PoisonLossAtStep(long step) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            if (context.GlobalStep != step - 1) return;
            using var noGrad = TorchSharp.torch.no_grad();
            foreach (var p in context.Model.parameters()) p.fill_(double.NaN);
        }
    }

    private sealed class StepCounter(List<long> steps) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context) => steps.Add(context.GlobalStep);
    }

    private sealed class LateMetric : TrainingCallback
    {
        public override void OnEpochEnd(EpochContext context) => context.SetMetric("late", 1);
    }

    private sealed class PoisonBatchNormStatistics : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            using var noGrad = TorchSharp.torch.no_grad();
            context.Model.named_buffers().First(b => b.name.EndsWith("running_var", StringComparison.Ordinal)).buffer.fill_(double.NaN);
        }
    }

    private sealed class LossRecorder(List<(double, long)> losses) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context) => losses.Add((context.Loss!.item<float>(), context.Targets.shape[0]));
    }

    private sealed class CancelAtStep(long step, CancellationTokenSource source) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            if (context.GlobalStep == step) source.Cancel();
        }
    }
}
