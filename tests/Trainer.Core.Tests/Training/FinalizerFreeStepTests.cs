using Trainer.Callbacks;
using Trainer.Optimizers;
using Trainer.Tests.Support;

namespace Trainer.Tests.Training;

/// <summary>
/// The training step leaves nothing to the finalizer: TorchSharp's zero_grad, batch norm and add_ make native Scalars
/// that only the finalizer frees, which the loop avoids, so a long run's young-generation collections promote nothing
/// and the finalizer thread does not run beside libtorch's threads. (TorchSharp's managed optimizers, the fallback where
/// the fused kernels are missing, still make scalars in their step; the fused path is what is tested.)
/// </summary>
public sealed class FinalizerFreeStepTests
{
    [TestCase("adam")]
    [TestCase("momentum")]
    public void AnEpochOfStepsLeavesNothingToTheFinalizer(string optimizer)
    {
        Assume.That(optimizer == "adam" ? FusedKernels.Default.HasAdam : FusedKernels.Default.HasSgd, Is.True,
            "needs libtorch's fused kernels (Linux x64)");
        var recipe = TestTraining.Digits(epochs: 2, batchSize: 16);
        recipe.Optimizer.Kind = optimizer;
        recipe.Optimizer.Implementation = "fused";
        var probe = new FinalizationProbe(epoch: 2);

        var result = TestTraining.Train(recipe, probe);

        Assert.That(result.Status, Is.EqualTo(Trainer.Training.RunStatus.Completed));
        Assert.That(probe.Steps, Is.GreaterThan(50));
        Assert.That(probe.Pending, Is.GreaterThanOrEqualTo(0), "the epoch's last batch was counted");
        // Before the fixes it was 3 to 6 objects per step (one per parameter in zero_grad, two per batch norm layer, one
        // for the accuracy's add_); a handful from elsewhere in the process are tolerated.
        Assert.That(probe.Pending, Is.LessThan(probe.Steps / 5), $"{probe.Pending} objects left to the finalizer in {probe.Steps} steps");
    }

    [Test]
    public void AnEpochOfAugmentedConvolutionalStepsLeavesNothingToTheFinalizer()
    {
        Assume.That(FusedKernels.Default.HasAdam, Is.True, "needs libtorch's fused kernels (Linux x64)");
        var recipe = TestTraining.Digits(epochs: 2, batchSize: 32);
        recipe.Model = new Trainer.Recipes.ModelOptions { Kind = "cnn", Channels = [4, 8], Hidden = [16], BatchNorm = true };
        recipe.Data.Augment = new Trainer.Recipes.AugmentOptions { HorizontalFlip = true, Shift = 1 };
        recipe.Optimizer.Implementation = "fused";
        var probe = new FinalizationProbe(epoch: 2);

        var result = TestTraining.Train(recipe, probe);

        Assert.That(result.Status, Is.EqualTo(Trainer.Training.RunStatus.Completed), result.FailureMessage);
        Assert.That(probe.Steps, Is.GreaterThan(30));
        Assert.That(probe.Pending, Is.GreaterThanOrEqualTo(0), "the epoch's last batch was counted");
        // It was 15 per step with TorchSharp's Conv2d, batch norm and zero_grad, and 7 per batch of augmentation.
        Assert.That(probe.Pending, Is.LessThan(probe.Steps / 5), $"{probe.Pending} objects left to the finalizer in {probe.Steps} steps");
    }

    private sealed class FinalizationProbe(int epoch) : TrainingCallback
    {
        public int Steps { get; private set; }

        public long Pending { get; private set; } = -1;

        public override void OnEpochStart(EpochContext context)
        {
            if (context.Epoch != epoch) return;
            Finalization.Settle();
            Finalization.StartNoCollection();
        }

        public override void OnBatchEnd(BatchContext context)
        {
            if (context.Epoch != epoch) return;
            Steps++;
            if (context.BatchIndex != context.BatchCount - 1) return;
            Pending = Finalization.CountSinceSettled();
        }
    }
}
