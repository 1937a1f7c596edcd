using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class SamplerTests
{
    private static SamplerContext Context(int number, int dimensions = 2, IReadOnlyList<(int, double[], double)>? finished = null, bool maximize = true) =>
        new(number, dimensions, Seed: 11, finished ?? [], maximize);

    [Test]
    public void TheSameSeedGivesTheSameSequence()
    {
        var sampler = new RandomSampler();
        var a = Enumerable.Range(0, 5).Select(n => sampler.Next(Context(n))).ToList();
        var b = Enumerable.Range(0, 5).Select(n => sampler.Next(Context(n))).ToList();
        var other = sampler.Next(Context(0) with { Seed = 12 });

        Assert.That(a, Is.EqualTo(b));
        Assert.That(other, Is.Not.EqualTo(a[0]));
        Assert.That(a.SelectMany(p => p), Is.All.InRange(0.0, 1.0));
    }

    [Test]
    public void SuccessiveTrialsAreUncorrelatedAndCoverTheRange()
    {
        var sampler = new RandomSampler();
        var first = Enumerable.Range(0, 400).Select(n => sampler.Next(Context(n))[0]).ToArray();

        // Pearson correlation with the trial number, and with the previous trial: both near 0 for independent draws.
        static double Correlation(double[] a, double[] b)
        {
            double ma = a.Average(), mb = b.Average();
            return a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum() / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
        }
        Assert.That(Math.Abs(Correlation(first, Enumerable.Range(0, 400).Select(n => (double)n).ToArray())), Is.LessThan(0.15));
        Assert.That(Math.Abs(Correlation(first[..^1], first[1..])), Is.LessThan(0.15));
        for (var quarter = 0; quarter < 4; quarter++)
            Assert.That(first.Count(u => u >= quarter / 4.0 && u < (quarter + 1) / 4.0), Is.InRange(70, 130), $"quarter {quarter}");
    }

    [Test]
    public void LatinHypercubeUsesEveryStratumOncePerBatch()
    {
        var sampler = new LatinHypercubeSampler(8);
        var batch = Enumerable.Range(8, 8).Select(n => sampler.Next(Context(n))).ToList(); // the second batch

        for (var d = 0; d < 2; d++)
            Assert.That(batch.Select(p => (int)(p[d] * 8)).Order(), Is.EqualTo(Enumerable.Range(0, 8)), $"dimension {d}");
    }

    [Test]
    public void TheGridVisitsEveryCellCentre()
    {
        var sampler = new GridSampler(3);
        var points = Enumerable.Range(0, 9).Select(n => sampler.Next(Context(n))).Select(p => (p[0], p[1])).ToList();

        Assert.That(points.Distinct().Count(), Is.EqualTo(9));
        Assert.That(points.Select(p => p.Item1).Distinct().Order(), Is.EqualTo(new[] { 1 / 6.0, 0.5, 5 / 6.0 }).Within(1e-12));
    }

    [Test]
    public void CoarseToFineSamplesLaterRoundsInsideTheBoxAroundTheBestTrials()
    {
        var sampler = new CoarseToFineSampler(coarseTrials: 16, topFraction: 0.25, roundTrials: 8);
        // Objective peaks at (0.3, 0.7): the coarse trials' best quarter lies around it.
        double Objective(double[] p) => -Math.Pow(p[0] - 0.3, 2) - Math.Pow(p[1] - 0.7, 2);
        var finished = new List<(int, double[], double)>();
        for (var n = 0; n < 16; n++)
        {
            var p = sampler.Next(Context(n, finished: finished));
            finished.Add((n, p, Objective(p)));
        }

        var round = Enumerable.Range(16, 8).Select(n => sampler.Next(Context(n, finished: finished))).ToList();

        // The box, computed here independently: the best quarter of the coarse trials, widened by 10% (at least 0.02).
        var best = finished.OrderByDescending(t => t.Item3).Take(4).Select(t => t.Item2).ToList();
        for (var d = 0; d < 2; d++)
        {
            var (min, max) = (best.Min(p => p[d]), best.Max(p => p[d]));
            var pad = Math.Max(0.1 * (max - min), 0.02);
            var (low, high) = (Math.Max(0, min - pad), Math.Min(1, max + pad));
            Assert.That(high - low, Is.LessThan(0.75), $"the range of dimension {d} shrank");
            Assert.That(round.Select(p => p[d]), Is.All.InRange(low, high), $"dimension {d}");
        }
        var box = sampler.Box(Context(16, finished: finished));
        Assert.That(0.3, Is.InRange(box.Low[0], box.High[0]), "the box holds the optimum");
        Assert.That(0.7, Is.InRange(box.Low[1], box.High[1]));
    }

    [Test]
    public void CoarseToFineRecomputesTheBoxEachRoundAndLeavesCategoricalDimensionsWhole()
    {
        var sampler = new CoarseToFineSampler(coarseTrials: 4, topFraction: 0.3, roundTrials: 2, categoricalDimensions: new HashSet<int> { 1 });
        var finished = new List<(int, double[], double)>
        {
            (0, [0.1, 0.1], 1), (1, [0.9, 0.9], 0), (2, [0.15, 0.2], 2), (3, [0.8, 0.5], 0),
        };
        var round1 = sampler.Box(Context(5, finished: finished));
        finished.Add((4, [0.5, 0.3], 5));
        finished.Add((5, [0.52, 0.3], 6));
        var round2 = sampler.Box(Context(6, finished: finished));
        var stillRound1 = sampler.Box(Context(5, finished: finished));

        Assert.That((round1.Low[0], round1.High[0]), Is.EqualTo((0.1 - 0.02, 0.15 + 0.02)).Within(1e-12), "best two of the coarse trials: 0.1 and 0.15");
        Assert.That((round1.Low[1], round1.High[1]), Is.EqualTo((0.0, 1.0)), "a categorical dimension is never shrunk");
        Assert.That(stillRound1.Low[0], Is.EqualTo(round1.Low[0]), "trials of a round share its box, whatever finished since");
        Assert.That((round2.Low[0], round2.High[0]), Is.EqualTo((0.5 - 0.02, 0.52 + 0.02)).Within(1e-12), "round 2 zooms on trials 4 and 5");
    }
}
