using Trainer.Recipes;
using Trainer.Tests.Support;
using Trainer.Training;

namespace Trainer.Tests.Training;

/// <summary>
/// oneDNN's convolution backward pass in libtorch 2.10 returned garbage input gradients on this project's machine (NaN
/// in about 1 of 1,500 backward passes for 8x8 images), so a small CNN's training loss became NaN within a few dozen steps
/// in most runs; with <c>Training:Mkldnn</c> auto it is off and training is finite and reproducible.
/// </summary>
public sealed class CpuKernelTests
{
    private static RecipeOptions SmallCnn()
    {
        var recipe = TestRuns.Digits(epochs: 3, batchSize: 32);
        recipe.Model = new ModelOptions { Kind = "cnn", Channels = [4, 8], Hidden = [16], BatchNorm = true };
        recipe.Data.Augment = new AugmentOptions { HorizontalFlip = true, Shift = 1 };
        return recipe;
    }

    [Test]
    public void ASmallConvolutionalNetworkTrainsToFiniteReproducibleLossesWithOneDnnOff()
    {
        Assume.That(LibTorchContext.IsAvailable, Is.True, "the setting can be changed on Linux x64 only");
        var runs = Enumerable.Range(0, 3).Select(_ => TestRuns.Train(SmallCnn())).ToList();

        Assert.That(LibTorchContext.MkldnnEnabled, Is.False, "auto turns oneDNN off");
        foreach (var run in runs) Assert.That(run.Status, Is.EqualTo(RunStatus.Completed), run.FailureMessage);
        Assert.That(runs.Select(r => r.History[^1][MetricNames.TrainLoss]).Distinct().Count(), Is.EqualTo(1), "the same seed, the same losses");
    }

    [Test]
    public void OnTurnsOneDnnBackOnForTheProcess()
    {
        Assume.That(LibTorchContext.IsAvailable, Is.True, "the setting can be changed on Linux x64 only");
        var recipe = TestRuns.Digits(epochs: 1);
        recipe.Training.Mkldnn = "on";
        try
        {
            using var setup = TrainingSetup.Create(recipe, ".");
            Assert.That(LibTorchContext.MkldnnEnabled, Is.True);
            Assert.That(setup.CpuKernels, Is.EqualTo("oneDNN (Training:Mkldnn on)"));
        }
        finally
        {
            LibTorchContext.MkldnnEnabled = false;
        }
    }
}
