using Trainer.Recipes;
using Trainer.Tests.Support;
using Trainer.Training;

namespace Trainer.Tests.Training;

/// <summary>
/// oneDNN's convolution backward pass in libtorch 2.10 returned garbage input gradients on this project's machine for
/// narrow convolutions (NaN in up to 40% of passes with 4 or 8 channels), so a small CNN's training loss became NaN within
/// a few dozen steps in most runs; with <c>Training:Mkldnn</c> auto it is off for such models and training is finite and
/// reproducible.
/// </summary>
public sealed class CpuKernelTests
{
    private static RecipeOptions SmallCnn()
    {
        var recipe = TestTraining.Digits(epochs: 3, batchSize: 32);
        recipe.Model = new ModelOptions { Kind = "cnn", Channels = [4, 8], Hidden = [16], BatchNorm = true };
        recipe.Data.Augment = new AugmentOptions { HorizontalFlip = true, Shift = 1 };
        return recipe;
    }

    [Test]
    public void ASmallConvolutionalNetworkTrainsToFiniteReproducibleLossesWithOneDnnOff()
    {
        Assume.That(LibTorchContext.IsAvailable, Is.True, "the setting can be changed on Linux x64 only");
        var runs = Enumerable.Range(0, 3).Select(_ => TestTraining.Train(SmallCnn())).ToList();

        Assert.That(LibTorchContext.MkldnnEnabled, Is.False, "auto turns oneDNN off");
        foreach (var run in runs) Assert.That(run.Status, Is.EqualTo(RunStatus.Completed), run.FailureMessage);
        Assert.That(runs.Select(r => r.History[^1][MetricNames.TrainLoss]).Distinct().Count(), Is.EqualTo(1), "the same seed, the same losses");
    }

    [Test]
    public void AutoKeepsOneDnnForConvolutionsOfSixteenChannelsOrMore()
    {
        Assume.That(LibTorchContext.IsAvailable, Is.True, "the setting can be changed on Linux x64 only");
        var wide = TestTraining.Digits(epochs: 1);
        wide.Model = new ModelOptions { Kind = "cnn", Channels = [16, 32], Hidden = [16], BatchNorm = true };
        var narrow = SmallCnn();
        try
        {
            using (var setup = TrainingSetup.Create(wide, "."))
            {
                Assert.That(LibTorchContext.MkldnnEnabled, Is.True);
                Assert.That(setup.CpuKernels, Is.EqualTo("oneDNN (Training:Mkldnn auto: every convolution has at least 16 channels)"));
            }
            using (var setup = TrainingSetup.Create(narrow, "."))
            {
                Assert.That(LibTorchContext.MkldnnEnabled, Is.False);
                Assert.That(setup.CpuKernels, Does.Contain("layers.conv1 has fewer than 16 channels"));
            }
        }
        finally
        {
            LibTorchContext.MkldnnEnabled = false;
        }
    }

    [Test]
    public void OnTurnsOneDnnBackOnForTheProcess()
    {
        Assume.That(LibTorchContext.IsAvailable, Is.True, "the setting can be changed on Linux x64 only");
        var recipe = TestTraining.Digits(epochs: 1);
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
