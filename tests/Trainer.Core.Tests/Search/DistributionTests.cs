using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class DistributionTests
{
    private static double[] Draw(IDistribution distribution, int count, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Convert.ToDouble(distribution.FromUnit(random.NextDouble()))).ToArray();
    }

    [Test]
    public void LogUniformPutsAQuarterOfTheSamplesInEachDecade()
    {
        var samples = Draw(new LogUniformDistribution(1e-4, 1), 4000);

        foreach (var (low, high) in new[] { (1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 1e-1), (1e-1, 1.0) })
        {
            var share = samples.Count(s => s >= low && s < high) / 4000.0;
            // Binomial(4000, 0.25): σ ≈ 0.0068, so ±0.03 is more than 4σ.
            Assert.That(share, Is.EqualTo(0.25).Within(0.03), $"[{low}, {high})");
        }
    }

    [Test]
    public void UniformOnTheSameRangePutsNinetyPercentInTheTopDecade()
    {
        var samples = Draw(new UniformDistribution(1e-4, 1), 4000);

        Assert.That(samples.Count(s => s >= 0.1) / 4000.0, Is.EqualTo(0.9).Within(0.02), "why the learning rate needs the log scale");
    }

    [Test]
    public void OneMinusLogUniformSpreadsOneMinusBetaEvenlyOverDecades()
    {
        var samples = Draw(new OneMinusLogUniformDistribution(0.9, 0.999), 4000);

        var lower = samples.Count(b => b < 0.99) / 4000.0;
        Assert.That(lower, Is.EqualTo(0.5).Within(0.03), "β in [0.9, 0.99) as often as in [0.99, 0.999]");
        Assert.That(samples, Is.All.InRange(0.9, 0.999));
    }

    [Test]
    public void IntegerDistributionsCoverTheirEndsFairly()
    {
        var uniform = Draw(new IntUniformDistribution(1, 4), 4000);
        foreach (var k in new[] { 1, 2, 3, 4 }) Assert.That(uniform.Count(v => v == k) / 4000.0, Is.EqualTo(0.25).Within(0.03), $"k={k}");

        var log = Draw(new IntLogUniformDistribution(32, 1024), 4000);
        Assert.That(log, Is.All.InRange(32, 1024));
        Assert.That(log.Count(v => v <= 181) / 4000.0, Is.EqualTo(0.5).Within(0.03), "√(32·1024) ≈ 181 splits the mass in half");
    }

    [Test]
    public void CategoricalChoosesEachChoiceEquallyAndMapsBack()
    {
        var distribution = new CategoricalDistribution(["64", "128", "256", "512"]);
        var random = new Random(3);
        var draws = Enumerable.Range(0, 4000).Select(_ => (string)distribution.FromUnit(random.NextDouble())).ToList();

        foreach (var choice in distribution.Choices) Assert.That(draws.Count(d => d == choice) / 4000.0, Is.EqualTo(0.25).Within(0.03));
        Assert.That(distribution.FromUnit(distribution.ToUnit("256")), Is.EqualTo("256"));
    }

    [Test]
    public void ToUnitInvertsFromUnitOnEveryContinuousScale()
    {
        IDistribution[] distributions = [new UniformDistribution(-2, 3), new LogUniformDistribution(1e-5, 10), new OneMinusLogUniformDistribution(0.8, 0.9999)];
        foreach (var distribution in distributions)
            foreach (var u in new[] { 0.0, 0.25, 0.5, 0.9 })
                Assert.That(distribution.ToUnit(distribution.FromUnit(u)), Is.EqualTo(u).Within(1e-12), $"{distribution} at {u}");
    }

    [Test]
    public void InvalidRangesAreNamed()
    {
        Assert.That(new LogUniformDistribution(0, 1).Validate("Search:Space:Optimizer:LearningRate").Single(),
            Is.EqualTo("Search:Space:Optimizer:LearningRate: LogUniform needs 0 < Min < Max (got 0, 1); a log scale cannot reach 0."));
        Assert.That(new OneMinusLogUniformDistribution(0.9, 1).Validate("B").Single(), Does.StartWith("B: OneMinusLogUniform needs 0 < Min < Max < 1"));
        Assert.That(new CategoricalDistribution([]).Validate("C").Single(), Is.EqualTo("C: Categorical needs at least one choice in Choices."));
    }
}
