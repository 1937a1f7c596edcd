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
    public void RandomCropPadsWithBlackAndCropsEachImageAtItsOwnSeededOffset()
    {
        // torchvision's RandomCrop(2, padding=1) of [[1, 2], [3, 4]]: the 4 x 4 padded image cropped at (dy, dx) in 0..2.
        var crops = new Dictionary<(long, long), float[]>
        {
            [(0, 0)] = [0, 0, 0, 1], [(0, 1)] = [0, 0, 1, 2], [(0, 2)] = [0, 0, 2, 0],
            [(1, 0)] = [0, 1, 0, 3], [(1, 1)] = [1, 2, 3, 4], [(1, 2)] = [2, 0, 4, 0],
            [(2, 0)] = [0, 3, 0, 0], [(2, 1)] = [3, 4, 0, 0], [(2, 2)] = [4, 0, 0, 0],
        };
        using var images = tensor(new float[] { 1, 2, 3, 4 }).view(1, 1, 2, 2).expand(200, 1, 2, 2).contiguous();
        using var augmentation = new BatchAugmentation(new AugmentOptions { RandomCrop = 1 }, [1, 2, 2]);
        manual_seed(9);
        using var dy = randint(0, 3, [200], dtype: ScalarType.Int64); // the offsets the augmentation draws: rows, then columns
        using var dx = randint(0, 3, [200], dtype: ScalarType.Int64);

        manual_seed(9);
        using var result = augmentation.Apply(images);

        var (rows, cols, values) = (dy.data<long>().ToArray(), dx.data<long>().ToArray(), result.data<float>().ToArray());
        for (var i = 0; i < 200; i++)
            Assert.That(values[(4 * i)..(4 * i + 4)], Is.EqualTo(crops[(rows[i], cols[i])]), $"image {i}, offset ({rows[i]}, {cols[i]})");
        Assert.That(rows.Zip(cols).Distinct().Count(), Is.EqualTo(9), "every offset occurs");
    }

    [Test]
    public void RandomCropPadsNormalisedImagesWithTheirBlack()
    {
        using var images = full(50, 1, 2, 2, 5f);
        using var black = full(1, 1, 1, -2f);
        using var augmentation = new BatchAugmentation(new AugmentOptions { RandomCrop = 1 }, [1, 2, 2], black);
        manual_seed(4);

        using var result = augmentation.Apply(images);

        var values = result.data<float>().ToArray();
        Assert.That(values.Distinct().Order(), Is.EqualTo(new[] { -2f, 5f }), "pixels are the image's or black's, nothing in between");
        Assert.That(values.Count(v => v == -2f), Is.GreaterThan(0));
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
