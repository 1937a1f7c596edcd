using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Tests.Data;

public sealed class SplitPlanTests
{
    /// <summary>The pipeline's splits as they were made before the plan: seeded permutations of the data set itself, in this order.</summary>
    private static (Dataset Train, Dataset Validation, Dataset Test) SplitAsBefore(Dataset data, double testFraction, double validationFraction, int limit, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var first = randperm(data.Count, generator: generator);
        var testCount = (long)Math.Round(data.Count * testFraction);
        var test = data.Select(first.narrow(0, 0, testCount));
        using var pool = data.Select(first.narrow(0, testCount, data.Count - testCount));
        using var second = randperm(pool.Count, generator: generator);
        var validationCount = (long)Math.Round(pool.Count * validationFraction);
        var validation = pool.Select(second.narrow(0, 0, validationCount));
        using var rest = pool.Select(second.narrow(0, validationCount, pool.Count - validationCount));
        using var third = randperm(rest.Count, generator: generator);
        return (rest.Select(third.narrow(0, 0, limit)), validation, test);
    }

    [Test]
    public void ThePipelinesSplitsAreTheSameRowsAsBeforeThePlan()
    {
        var options = new DataOptions { Source = "digits", Normalize = "none", TestFraction = 0.2, ValidationFraction = 0.15, TrainLimit = 700 };
        var raw = new DigitsDataSource().Load(options);
        var (train, validation, test) = SplitAsBefore(raw.Train, 0.2, 0.15, 700, seed: 11);

        using var splits = DataPipeline.Load(options, ".", seed: 11);

        Assert.That(splits.Train.Features.equal(train.Features).all().item<bool>(), Is.True, "train features");
        Assert.That(splits.Train.Labels.equal(train.Labels).all().item<bool>(), Is.True, "train labels");
        Assert.That(splits.Validation!.Features.equal(validation.Features).all().item<bool>(), Is.True, "validation");
        Assert.That(splits.Test.Features.equal(test.Features).all().item<bool>(), Is.True, "test");
        Assert.That((splits.Train.Count, splits.Validation.Count, splits.Test.Count), Is.EqualTo((700L, 216L, 359L)));
        foreach (var data in new[] { raw.Train, train, validation, test }) data.Dispose();
    }

    [Test]
    public void WithASourcesOwnTestSplitAndNothingHeldOutEveryRowTrainsInItsOrder()
    {
        using var plan = SplitPlan.Make(5, ownTest: true, new DataOptions { ValidationFraction = 0 }, seed: 1);

        Assert.That((plan.Test, plan.Validation, plan.Train), Is.EqualTo(((Tensor?)null, (Tensor?)null, (Tensor?)null)));
        Assert.That(plan.TrainingRows(5), Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void TheSplitsPartitionTheRows()
    {
        using var plan = SplitPlan.Make(50, ownTest: false, new DataOptions { TestFraction = 0.2, ValidationFraction = 0.25 }, seed: 3);

        var all = plan.Test!.data<long>().Concat(plan.Validation!.data<long>()).Concat(plan.Train!.data<long>()).Order();

        Assert.That(all, Is.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i)));
        Assert.That((plan.Test.shape[0], plan.Validation.shape[0], plan.Train.shape[0]), Is.EqualTo((10L, 10L, 30L)));
    }
}
