using Trainer.Callbacks;
using Trainer.Recipes;
using Trainer.Tests.Support;
using Trainer.Training;

namespace Trainer.Tests.Training;

/// <summary>
/// The loop keeps each step's loss and correct count on the device and reads them once per epoch: the epoch metrics
/// are the example-weighted means of the batches, and the host reads do not grow with the number of batches.
/// </summary>
public sealed class EpochAccumulationTests
{
    /// <summary>Reads each batch's loss and correct count to the host (a test-only, deliberately slow callback).</summary>
    private sealed class BatchReader : TrainingCallback
    {
        public List<(double Loss, long Correct, long Size)> Batches { get; } = [];

        public override string Name => "BatchReader";

        public override void OnBatchEnd(BatchContext context) =>
            Batches.Add((context.Loss!.item<float>(), context.Correct!.item<long>(), context.BatchSize));
    }

    [Test]
    public void TrainLossAndAccuracyAreTheExampleWeightedMeansOfTheBatches()
    {
        var reader = new BatchReader();
        // 1,222 training examples in batches of 100: twelve full batches and one of 22.
        var result = TestTraining.Train(TestTraining.Digits(epochs: 1, batchSize: 100), reader);

        var examples = reader.Batches.Sum(b => b.Size);
        Assert.That(reader.Batches.Select(b => b.Size), Is.EqualTo(Enumerable.Repeat(100L, 12).Append(22L)));
        Assert.That(result.History[0][MetricNames.TrainLoss], Is.EqualTo(reader.Batches.Sum(b => b.Loss * b.Size) / examples).Within(1e-6));
        Assert.That(result.History[0][MetricNames.TrainAccuracy], Is.EqualTo((double)reader.Batches.Sum(b => b.Correct) / examples));
    }

    [Test]
    public void HostReadsPerEpochDoNotGrowWithTheNumberOfBatches()
    {
        RecipeOptions Recipe(int batchSize, int checkEvery)
        {
            var recipe = TestTraining.Digits(epochs: 2, batchSize: batchSize);
            recipe.Training.NonFiniteCheckEvery = checkEvery;
            return recipe;
        }

        var few = TestTraining.Train(Recipe(batchSize: 200, checkEvery: 0));   // 7 batches per epoch
        var many = TestTraining.Train(Recipe(batchSize: 10, checkEvery: 0));   // 123 batches per epoch
        var checkedEvery50 = TestTraining.Train(Recipe(batchSize: 10, checkEvery: 50)); // 246 steps: checks at 50, 100, …, 200

        Assert.That(few.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(many.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(many.HostReads, Is.EqualTo(few.HostReads), "the same reads whatever the number of batches");
        Assert.That(many.HostReads, Is.LessThanOrEqualTo(3 * 2), "loss sum, NaN check and correct count per epoch");
        Assert.That(checkedEvery50.HostReads, Is.EqualTo(many.HostReads + 4), "one read per NaN check");
    }
}
