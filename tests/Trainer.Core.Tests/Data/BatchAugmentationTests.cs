using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Tests.Data;

public sealed class BatchAugmentationTests
{
    [Test]
    public void EachImageIsMirroredWithProbabilityOneHalf()
    {
        manual_seed(1);
        using var images = rand(1000, 1, 4, 5);
        var augmentation = new BatchAugmentation(new AugmentOptions { HorizontalFlip = true }, [1, 4, 5]);

        using var result = augmentation.Apply(images);

        using var mirrored = images.flip(3);
        var flipped = Enumerable.Range(0, 1000).Count(i => result[i].equal(mirrored[i]).all().item<bool>());
        var kept = Enumerable.Range(0, 1000).Count(i => result[i].equal(images[i]).all().item<bool>());
        Assert.That(flipped + kept, Is.EqualTo(1000), "every image is either itself or its mirror image");
        Assert.That(flipped, Is.InRange(440, 560), "Binomial(1000, ½) within ±4σ");
    }

    [Test]
    public void AugmentingABatchLeavesNothingToTheFinalizer()
    {
        manual_seed(3);
        using var images = rand(32, 1, 9, 9);
        using var augmentation = new BatchAugmentation(new AugmentOptions { HorizontalFlip = true, Shift = 2 }, [1, 9, 9]);

        var pending = Finalization.PendingAfter(200, () =>
        {
            using var scope = NewDisposeScope();
            augmentation.Apply(images);
        });

        Assert.That(pending, Is.LessThan(20), "was 4 per batch: lt(0.5), two implicit alphas and arange's bounds");
    }

    [Test]
    public void EachImageIsShiftedByAtMostTheShiftWithZerosComingIn()
    {
        manual_seed(2);
        using var images = zeros(300, 1, 9, 9);
        images[TensorIndex.Colon, 0, 4, 4] = tensor(1f); // one bright pixel in the middle of every image
        var augmentation = new BatchAugmentation(new AugmentOptions { Shift = 2 }, [1, 9, 9]);

        using var result = augmentation.Apply(images);

        var offsets = new HashSet<(long, long)>();
        for (var i = 0; i < 300; i++)
        {
            using var image = result[i, 0];
            Assert.That(image.sum().item<float>(), Is.EqualTo(1f), "the pixel stays inside the 9x9 image");
            var flat = image.argmax().item<long>();
            var (row, col) = (flat / 9, flat % 9);
            Assert.That(Math.Abs(row - 4), Is.LessThanOrEqualTo(2));
            Assert.That(Math.Abs(col - 4), Is.LessThanOrEqualTo(2));
            offsets.Add((row - 4, col - 4));
        }
        Assert.That(offsets, Has.Count.EqualTo(25), "all 5 x 5 shifts occur: each image gets its own");
    }

    [Test]
    public void TabularDataCannotBeAugmented()
    {
        var error = Assert.Throws<RecipeException>(() => new BatchAugmentation(new AugmentOptions { Shift = 1 }, [64]));

        Assert.That(error!.Message, Does.StartWith("Data:Augment needs image data"));
    }

    [Test]
    public void TrainingWithAugmentationIsSeededAndChangesOnlyTheTrainingBatches()
    {
        RecipeOptions Recipe(bool augment)
        {
            var recipe = TestTraining.Digits(epochs: 2, batchSize: 64);
            recipe.Data.Augment = new AugmentOptions { HorizontalFlip = augment, Shift = augment ? 1 : 0 };
            return recipe;
        }

        var a = TestTraining.Train(Recipe(true));
        var b = TestTraining.Train(Recipe(true));
        var plain = TestTraining.Train(Recipe(false));

        Assert.That(a.History.Select(h => h[MetricNames.TrainLoss]), Is.EqualTo(b.History.Select(h => h[MetricNames.TrainLoss])), "the same seed, the same augmentations");
        Assert.That(a.History[0][MetricNames.TrainLoss], Is.Not.EqualTo(plain.History[0][MetricNames.TrainLoss]));
        Assert.That(a.Status, Is.EqualTo(RunStatus.Completed));
    }
}
