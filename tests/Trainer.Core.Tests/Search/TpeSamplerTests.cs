using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class TpeSamplerTests
{
    private static readonly IReadOnlyList<IDistribution> LearningRate = [new LogUniformDistribution(1e-6, 1)];

    /// <summary>Runs <paramref name="trials"/> trials of <paramref name="sampler"/> minimising <paramref name="objective"/> over unit points.</summary>
    private static List<(int Number, double[] Point, double Value)> Study(ISampler sampler, int dimensions, int trials, Func<double[], double> objective, int seed = 5)
    {
        var finished = new List<(int Number, double[] Point, double Value)>();
        for (var n = 0; n < trials; n++)
        {
            var point = sampler.Next(new SamplerContext(n, dimensions, seed, finished.ToList(), Maximize: false));
            Assert.That(point, Is.All.InRange(0.0, Math.BitDecrement(1.0)));
            finished.Add((n, point, objective(point)));
        }
        return finished;
    }

    private static double DecadesFromBest(double[] point) => Math.Abs(Math.Log10((double)LearningRate[0].FromUnit(point[0])) + 3); // best at 1e-3

    [Test]
    public void ALogUniformDimensionsSuggestionsConcentrateInTheGoodDecade()
    {
        var tpe = Study(new TpeSampler(LearningRate), 1, 60, DecadesFromBest);
        var random = Study(new RandomSampler(), 1, 60, DecadesFromBest);

        // Between 1e-4 and 1e-2 is a third of the log range: Random puts about a third of its trials there, TPE (once it
        // has learnt) most of them.
        static int InGoodDecades(IEnumerable<(int, double[] Point, double)> trials) => trials.Count(t => DecadesFromBest(t.Point) < 1);
        Assert.That(InGoodDecades(tpe.Skip(30)), Is.GreaterThanOrEqualTo(22), "TPE's last 30 trials between 1e-4 and 1e-2");
        Assert.That(InGoodDecades(random.Skip(30)), Is.LessThan(18), "Random's last 30");
        Assert.That(tpe.Min(t => t.Value), Is.LessThan(random.Min(t => t.Value)));
    }

    [Test]
    public void TheStartUpTrialsAreTheRandomSamplersAndTheRestFollowFromTheSeed()
    {
        var space = new IDistribution[] { new UniformDistribution(0, 1), new CategoricalDistribution(["a", "b", "c"]), new IntUniformDistribution(1, 4) };
        static double Objective(double[] p) => (p[0] - 0.3) * (p[0] - 0.3) + (p[1] > 2 / 3.0 ? 0 : 0.5) + Math.Abs(p[2] - 0.4);
        var first = Study(new TpeSampler(space), 3, 25, Objective);
        var again = Study(new TpeSampler(space), 3, 25, Objective);
        var otherSeed = Study(new TpeSampler(space), 3, 25, Objective, seed: 6);
        var random = Study(new RandomSampler(), 3, 10, Objective);

        Assert.That(first.Select(t => t.Point), Is.EqualTo(again.Select(t => t.Point)));
        Assert.That(first.Take(10).Select(t => t.Point), Is.EqualTo(random.Select(t => t.Point)));
        Assert.That(first.Skip(10).Select(t => t.Point), Is.Not.EqualTo(otherSeed.Skip(10).Select(t => t.Point)));
        // Categorical and integer coordinates are cell centres once the estimator suggests them.
        Assert.That(first.Skip(10).Select(t => t.Point[1] * 3 - 0.5), Is.All.EqualTo(0).Or.EqualTo(1).Or.EqualTo(2).Within(1e-9));
        Assert.That(first.Skip(10).Select(t => t.Point[2] * 4 - 0.5), Is.All.EqualTo(0).Or.EqualTo(1).Or.EqualTo(2).Or.EqualTo(3).Within(1e-9));
        Assert.That(first.Skip(15).Count(t => t.Point[1] > 2 / 3.0), Is.GreaterThanOrEqualTo(7), "the good category c in the last 10");
    }

    [Test]
    public void PrunedTrialsRankBelowCompleteOnesAndRunningOnesJoinTheBadSet()
    {
        var sampler = new TpeSampler([new UniformDistribution(0, 1)], new TpeOptions { StartupTrials = 2, GammaFraction = 0.5 });
        // Maximising: trial 1 (pruned) reported the largest value, yet ranks after the complete ones.
        var context = new SamplerContext(5, 1, 1, [(0, [0.1], 0.5), (1, [0.2], 0.99), (2, [0.3], 0.7), (3, [0.4], 0.6)], Maximize: true)
        {
            Pruned = new HashSet<int> { 1 },
            Running = [[0.8]],
        };

        var (good, bad, _) = sampler.Split(context);

        Assert.That(good.Select(p => p[0]), Is.EqualTo(new[] { 0.3, 0.4 }));
        Assert.That(bad.Select(p => p[0]), Is.EqualTo(new[] { 0.1, 0.2, 0.8 }));
        var honest = new TpeSampler([new UniformDistribution(0, 1)], new TpeOptions { StartupTrials = 2, GammaFraction = 0.5, ConstantLiar = false });
        Assert.That(honest.Split(context).Bad.Select(p => p[0]), Is.EqualTo(new[] { 0.1, 0.2 }));
    }

    [Test]
    public void AmongPrunedTrialsTheOnePrunedLaterRanksFirstAndOneThatReportedNothingLast()
    {
        // Optuna's score (−step, value), maximising: trial 0 is complete; trial 1 was pruned at epoch 2 with the best value,
        // trial 2 at epoch 5 with a poor one, trial 3 at epoch 5 with a better one; trial 4 was pruned before reporting.
        var sampler = new TpeSampler([new UniformDistribution(0, 1)], new TpeOptions { StartupTrials = 2, GammaFraction = 0.6, ConstantLiar = false });
        var finished = new List<(int, double[], double)> { (0, [0.0], 0.1), (1, [0.1], 0.99), (2, [0.2], 0.3), (3, [0.3], 0.4), (4, [0.4], 0.95) };
        var context = new SamplerContext(5, 1, 1, finished, Maximize: true)
        {
            Pruned = new HashSet<int> { 1, 2, 3, 4 },
            PrunedAtEpoch = new Dictionary<int, int> { [1] = 2, [2] = 5, [3] = 5 },
        };

        var (good, bad, _) = sampler.Split(context); // ⌈0.6·5⌉ = 3 good: the complete trial, then trials 3 and 2 (epoch 5)

        Assert.That(good.Select(p => p[0]), Is.EqualTo(new[] { 0.0, 0.2, 0.3 }));
        Assert.That(bad.Select(p => p[0]), Is.EqualTo(new[] { 0.1, 0.4 }));
        var withoutEpochs = sampler.Split(context with { PrunedAtEpoch = new Dictionary<int, int>() }); // then by value alone
        Assert.That(withoutEpochs.Good.Select(p => p[0]), Is.EqualTo(new[] { 0.0, 0.1, 0.4 }));
    }

    [Test]
    public void WithSeveralObjectivesTheGoodSetIsTheFrontCutByHypervolumeAndWeightedByContribution()
    {
        // Losses (objective 0 is maximised, so its loss is −value): A = (1, 5) is trial 5, B = (2, 2) trial 9, C = (4.5, 1)
        // trial 12 form the front; the other 17 trials are dominated. 20 trials, γ = 0.1: two good ones.
        // Reference over the front: (max(1.1·4.5, 0.9·4.5), 5.5) = (4.95, 5.5). B alone covers 2.95·3.5, the most: first.
        // Then A adds [1, 2]×[5, 5.5] = 0.5 and C adds [4.5, 4.95]×[1, 2] = 0.45: A.
        var losses = new Dictionary<int, double[]> { [5] = [1, 5], [9] = [2, 2], [12] = [4.5, 1] };
        var finished = Enumerable.Range(0, 20).Select(n => (n, new[] { n / 20.0 }, 0.0)).ToList();
        var vectors = finished.ToDictionary(t => t.n, t => losses.TryGetValue(t.n, out var l) ? new[] { -l[0], l[1] } : new[] { -(6.0 + t.n), 6.0 + t.n });
        var sampler = new TpeSampler([new UniformDistribution(0, 1)], new TpeOptions { ConstantLiar = false });
        var context = new SamplerContext(20, 1, 1, finished, Maximize: true) { ObjectiveValues = vectors, ObjectiveMaximize = [true, false] };

        var (good, bad, weights) = sampler.Split(context);

        Assert.That(good.Select(p => p[0]), Is.EqualTo(new[] { 5 / 20.0, 9 / 20.0 }));
        Assert.That(bad, Has.Count.EqualTo(18));
        // Weights: the good pair's reference is (2.2, 5.5); together they cover 1.2, A alone 0.6, B alone 0.7, so A
        // contributes 0.5 and B 0.6: weights 0.5/0.6 and 1.
        Assert.That(weights, Is.EqualTo(new[] { 0.5 / 0.6, 1.0 }).Within(1e-9));
        Assert.That(sampler.Next(context), Has.Length.EqualTo(1));
    }

    [Test]
    public void TheConstantLiarSteersAWorkerAwayFromWhatOthersAreRunning()
    {
        // Ten finished trials, the good one at 0.3; other workers run twelve trials next to it.
        var finished = Enumerable.Range(0, 10).Select(i => (i, new[] { (i + 0.5) / 10 }, Math.Abs((i + 0.5) / 10 - 0.3))).ToList();
        var running = Enumerable.Range(0, 12).Select(i => new[] { 0.29 + 0.002 * i }).ToList();
        double[] Suggest(bool liar, int number) => new TpeSampler(LearningRate, new TpeOptions { ConstantLiar = liar })
            .Next(new SamplerContext(number, 1, 3, finished, Maximize: false) { Running = running });

        var alone = Enumerable.Range(20, 40).Select(n => Suggest(false, n)[0]).ToList();
        var lying = Enumerable.Range(20, 40).Select(n => Suggest(true, n)[0]).ToList();

        static int NearTheRunningOnes(IEnumerable<double> points) => points.Count(x => x is > 0.285 and < 0.317);
        Assert.That(NearTheRunningOnes(lying), Is.LessThan(NearTheRunningOnes(alone) / 2), $"alone {NearTheRunningOnes(alone)}, lying {NearTheRunningOnes(lying)}");
    }

    [Test]
    public void MultivariateTpeFindsAnInteractionThatUnivariateSamplingSplits()
    {
        // Good only where x and y are both small or both large: a joint density keeps the pairs together.
        static double Objective(double[] p) => Math.Min(Math.Pow(p[0] - 0.2, 2) + Math.Pow(p[1] - 0.2, 2), Math.Pow(p[0] - 0.8, 2) + Math.Pow(p[1] - 0.8, 2));
        var space = new IDistribution[] { new UniformDistribution(0, 1), new UniformDistribution(0, 1) };
        var multivariate = Study(new TpeSampler(space, new TpeOptions { Multivariate = true }), 2, 60, Objective);
        var exact = Study(new TpeSampler(space, new TpeOptions { Multivariate = true, WidthWeightedScores = false }), 2, 60, Objective);
        var random = Study(new RandomSampler(), 2, 60, Objective);
        int Close(IEnumerable<(int Number, double[] Point, double Value)> trials) => trials.Skip(30).Count(t => t.Value < 0.02);
        TestContext.Out.WriteLine($"late trials within 0.02: width-weighted {Close(multivariate)}, exact ratio {Close(exact)}, random {Close(random)}");

        // Random lands within 0.02 of a basin with probability 2π·0.02 ≈ 0.13: about 4 of the last 30 trials.
        Assert.That(Close(multivariate), Is.GreaterThan(2 * Close(random)), "the joint density keeps the good pairs together");
        Assert.That(Close(exact), Is.GreaterThanOrEqualTo(15), "the exact density ratio exploits harder than the width-weighted one");
        Assert.That(multivariate.Min(t => t.Value), Is.LessThan(0.002));
    }

    [Test]
    public void BadOptionsAreListedWithTheirPaths()
    {
        var problems = new TpeOptions { StartupTrials = -1, Candidates = 0, PriorWeight = 0, GammaFraction = 1.5, GammaMax = 0 }.Validate("Search:Sampler:Options").ToList();

        Assert.That(problems, Has.Count.EqualTo(5));
        Assert.That(problems, Has.All.StartsWith("Search:Sampler:Options:"));
        Assert.That(problems[3], Does.Contain("GammaFraction must be in (0, 1] (got 1.5)"));
    }
}
