using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class ParameterImportanceTests
{
    private static readonly IReadOnlyList<(string Path, IDistribution Distribution)> Space =
    [
        ("a", new UniformDistribution(0, 1)), ("b", new UniformDistribution(0, 1)), ("c", new UniformDistribution(0, 1)),
    ];

    private static TrialRecord Trial(int number, double[] point, double? value, TrialState state = TrialState.Complete) =>
        new(number, state, new Dictionary<string, string>(), point, value, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);

    private static List<TrialRecord> Trials(int count, Func<double[], double> objective, int dimensions = 3)
    {
        var random = new Random(5);
        return Enumerable.Range(0, count).Select(n =>
        {
            var point = Enumerable.Range(0, dimensions).Select(_ => random.NextDouble()).ToArray();
            return Trial(n, point, objective(point));
        }).ToList();
    }

    [Test]
    public void APlantedDominantParameterRanksFirstWithMostOfTheShare()
    {
        var trials = Trials(80, p => Math.Sin(3 * p[0]) * 10 + 0.01 * (p[1] - p[2]));

        var importance = ParameterImportance.Estimate(Space, trials, seed: 1);

        Assert.That(importance.Reason, Is.Null);
        Assert.That(importance.Trials, Is.EqualTo(80));
        Assert.That(importance.Shares[0].Parameter, Is.EqualTo("a"));
        Assert.That(importance.Shares[0].Share, Is.GreaterThan(0.95));
    }

    [Test]
    public void TwoEquallyImportantParametersGetSimilarSharesAndTheIrrelevantOneLittle()
    {
        var trials = Trials(200, p => p[0] + p[2]);

        var shares = ParameterImportance.Estimate(Space, trials, seed: 2).Shares.ToDictionary(s => s.Parameter, s => s.Share);

        Assert.That(shares["a"], Is.EqualTo(shares["c"]).Within(0.1));
        Assert.That(shares["a"] + shares["c"], Is.GreaterThan(0.9));
        Assert.That(shares["b"], Is.LessThan(0.1));
    }

    [Test]
    public void SharesSumToOneAndTheSameSeedGivesTheSameShares()
    {
        var trials = Trials(40, p => p[0] * p[1] + p[2] * p[2]);

        var first = ParameterImportance.Estimate(Space, trials, seed: 3);
        var again = ParameterImportance.Estimate(Space, trials, seed: 3);

        Assert.That(first.Shares.Sum(s => s.Share), Is.EqualTo(1).Within(1e-12));
        Assert.That(first.Shares, Has.Count.EqualTo(3));
        Assert.That(first.Shares.Select(s => s.Share), Is.Ordered.Descending);
        Assert.That(again.Shares, Is.EqualTo(first.Shares));
    }

    [Test]
    public void ACategoricalParameterCountsByItsChoice()
    {
        // Choice 1 of three (unit cell [1/3, 2/3)) is much better; the uniform parameter is noise.
        IReadOnlyList<(string, IDistribution)> space = [("optimizer", new CategoricalDistribution(["sgd", "adam", "rmsprop"])), ("x", new UniformDistribution(0, 1))];
        var trials = Trials(60, p => (p[0] is >= 1.0 / 3 and < 2.0 / 3 ? 1 : 0) + 0.001 * p[1], dimensions: 2);

        var importance = ParameterImportance.Estimate(space, trials, seed: 4);

        Assert.That(importance.Shares[0].Parameter, Is.EqualTo("optimizer"));
        Assert.That(importance.Shares[0].Share, Is.GreaterThan(0.9));
    }

    [Test]
    public void FewerThanTwoCompleteTrialsGiveNoSharesAndTheReason()
    {
        var trials = new List<TrialRecord>
        {
            Trial(0, [0.1, 0.2, 0.3], 1.0), Trial(1, [0.4, 0.5, 0.6], 2.0, TrialState.Pruned), Trial(2, [0.7, 0.8, 0.9], double.NaN),
            Trial(3, [0.2, 0.2, 0.2], null, TrialState.Failed),
        };

        var importance = ParameterImportance.Estimate(Space, trials);

        Assert.That(importance.Shares, Is.Empty);
        Assert.That(importance.Trials, Is.EqualTo(1));
        Assert.That(importance.Reason, Is.EqualTo("needs at least 2 complete trials with a finite value (has 1)"));
    }

    [Test]
    public void TwoCompleteTrialsAreEnough()
    {
        var trials = new List<TrialRecord> { Trial(0, [0.1, 0.5, 0.5], 1.0), Trial(1, [0.9, 0.5, 0.5], 2.0) };

        var importance = ParameterImportance.Estimate(Space, trials);

        Assert.That(importance.Reason, Is.Null);
        Assert.That(importance.Shares[0], Is.EqualTo(("a", 1.0)), "only a differs between the two");
    }

    [Test]
    public void OneValueForEveryTrialGivesNoShares()
    {
        var importance = ParameterImportance.Estimate(Space, Trials(10, _ => 0.5));

        Assert.That(importance.Shares, Is.Empty);
        Assert.That(importance.Reason, Is.EqualTo("every complete trial has the same value"));
    }
}
