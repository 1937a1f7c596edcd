using Trainer.Data;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Core.Tests.Training;

/// <summary>The memory a run will hold, against the sizes of its tensors, and the refusal of a run above its limit.</summary>
public sealed class MemoryEstimateTests
{
    [Test]
    public void DataBytesCountEveryInMemoryTensorOnceAndModelBytesAddGradientsAndTheOptimizersStatePerTrainedParameter()
    {
        using var features = zeros(10, 4);               // 160 bytes
        using var labels = zeros(10, dtype: ScalarType.Int64); // 80 bytes
        using var testFeatures = zeros(5, 4);             // 80 bytes
        using var testLabels = zeros(5, dtype: ScalarType.Int64); // 40 bytes
        var train = new Dataset(features, labels, 2);
        var test = new Dataset(testFeatures, testLabels, 2);
        var data = new DataSplits(train, train, test, null); // validation shares the training tensors: counted once

        Assert.That(MemoryEstimate.DataBytes(data), Is.EqualTo(160 + 80 + 80 + 40));

        using var model = nn.Sequential(("a", nn.Linear(3, 2)), ("b", nn.Linear(2, 1))); // 8 + 3 parameters
        model.named_parameters().Single(p => p.name == "b.weight").parameter.requires_grad = false; // 2 frozen
        const long all = 11 * 4, trained = 9 * 4;
        Assert.That(MemoryEstimate.ModelBytes(model, "sgd"), Is.EqualTo(all + trained));
        Assert.That(MemoryEstimate.ModelBytes(model, "momentum"), Is.EqualTo(all + 2 * trained));
        Assert.That(MemoryEstimate.ModelBytes(model, "Adam"), Is.EqualTo(all + 3 * trained));
    }

    [Test]
    public void ARunAboveTrainingMemoryLimitIsRefusedBeforeItsFirstStepWithBothNumbers()
    {
        var recipe = TestTraining.Digits(epochs: 1);
        recipe.Model.Hidden = [1024, 1024]; // about 1.1 million parameters: 17 MB with gradients and Adam's two moments
        recipe.Optimizer.Kind = "adam";
        recipe.Training.MemoryLimitMB = 5;

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(recipe, Directory.GetCurrentDirectory()).Dispose())!;

        Assert.That(error.Message, Does.Match(@"^This run needs at least 1\d\.\d MB \(data set in memory 0\.\d+ MB, model with gradients and adam state 1\d\.\d MB\), " +
                                              @"more than Training:MemoryLimitMB 5 MB\."));
        Assert.That(error.Message, Does.Contain("trainer agent --memory-max"));

        recipe.Training.MemoryLimitMB = 64;
        Assert.DoesNotThrow(() => TrainingSetup.Create(recipe, Directory.GetCurrentDirectory()).Dispose(), "the same run under a limit it fits");
    }

    [Test]
    public void ANegativeMemoryLimitIsARecipeError()
    {
        var recipe = TestTraining.Digits();
        recipe.Training.MemoryLimitMB = -1;

        Assert.That(RecipeValidator.Validate(recipe), Has.One.EqualTo("Training:MemoryLimitMB must be 0 (no check) or more (got -1)."));
    }
}
