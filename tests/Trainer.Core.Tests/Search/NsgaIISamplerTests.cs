using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class NsgaIISamplerTests
{
    // Two objectives, both minimised: the point's own coordinates, so the front is the lower-left staircase.
    private static double[] Objectives(double[] point) => [point[0], point[1]];

    private static SamplerContext Context(int number, int seed, IReadOnlyList<(int Number, double[] Point)> finished) =>
        new(number, 2, seed, finished.Select(f => (f.Number, f.Point, Objectives(f.Point)[0])).ToList(), Maximize: false)
        {
            ObjectiveValues = finished.ToDictionary(f => f.Number, f => Objectives(f.Point)),
            ObjectiveMaximize = [false, false],
        };

    /// <summary>The first generation's points, as the sampler draws them.</summary>
    private static List<(int Number, double[] Point)> FirstGeneration(NsgaIISampler sampler, int seed) =>
        Enumerable.Range(0, sampler.PopulationSize).Select(n => (n, sampler.Next(Context(n, seed, [])))).ToList();

    [Test]
    public void TheSameSeedAndHistoryGiveTheSamePointsAllInTheUnitSquare()
    {
        var sampler = new NsgaIISampler(populationSize: 6);
        var first = FirstGeneration(sampler, seed: 5);
        var children = Enumerable.Range(6, 6).Select(n => sampler.Next(Context(n, 5, first))).ToList();
        var again = Enumerable.Range(6, 6).Select(n => sampler.Next(Context(n, 5, FirstGeneration(sampler, 5)))).ToList();
        var otherSeed = sampler.Next(Context(6, 6, first));

        Assert.That(again, Is.EqualTo(children));
        Assert.That(otherSeed, Is.Not.EqualTo(children[0]));
        Assert.That(first.SelectMany(f => f.Point).Concat(children.SelectMany(c => c)), Is.All.GreaterThanOrEqualTo(0.0).And.LessThan(1.0));
    }

    [Test]
    public void SecondGenerationChildrenComeFromTheFirstGenerationsFrontMoreOftenThanChance()
    {
        // Without crossover or mutation a child copies its tournament winner, so it can be traced to its parent.
        var sampler = new NsgaIISampler(populationSize: 10, mutationProbability: 0, crossoverProbability: 0);
        int fromFront = 0, children = 0;
        double expected = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var first = FirstGeneration(sampler, seed);
            var front = Pareto.Front(first.Select(f => Objectives(f.Point)).ToList(), [false, false]).Select(i => first[i].Point).ToList();
            foreach (var number in Enumerable.Range(10, 10))
            {
                var child = sampler.Next(Context(number, seed, first));
                Assert.That(first.Any(f => f.Point.SequenceEqual(child)), Is.True, "a child without crossover or mutation copies a parent");
                children++;
                if (front.Any(p => p.SequenceEqual(child))) fromFront++;
            }
            expected += 10.0 * front.Count / first.Count;
        }

        // A random parent would come from the front expected times; a binary tournament picks it about 1 − (1 − f)² of the time.
        Assert.That(fromFront, Is.GreaterThan(expected * 1.3), $"{fromFront} of {children} children from the front; chance gives {expected:0.0}");
    }

    [Test]
    public void CrossoverMixesTheCoordinatesOfTwoParentsAndMutationRedrawsThem()
    {
        var crossover = new NsgaIISampler(populationSize: 8, mutationProbability: 0, crossoverProbability: 1, swappingProbability: 0.5);
        var first = FirstGeneration(crossover, seed: 3);
        var children = Enumerable.Range(8, 8).Select(n => crossover.Next(Context(n, 3, first))).ToList();

        for (var d = 0; d < 2; d++)
            Assert.That(children.Select(c => c[d]), Is.All.AnyOf(first.Select(f => (object)f.Point[d]).ToArray()), $"dimension {d} comes from a parent");
        Assert.That(children.Count(c => !first.Any(f => f.Point.SequenceEqual(c))), Is.GreaterThan(0), "some children mix two parents");

        var mutating = new NsgaIISampler(populationSize: 8, mutationProbability: 1);
        var mutated = mutating.Next(Context(8, 3, first));
        Assert.That(first.Any(f => f.Point.Contains(mutated[0]) || f.Point.Contains(mutated[1])), Is.False, "every coordinate re-drawn");
    }

    [Test]
    public void ASingleObjectiveStudyBreedsFromItsBestTrials()
    {
        // Maximise −x: the lower half of the first generation is the better half.
        var sampler = new NsgaIISampler(populationSize: 10, mutationProbability: 0, crossoverProbability: 0);
        int better = 0, children = 0;
        for (var seed = 1; seed <= 10; seed++)
        {
            var first = FirstGeneration(sampler, seed).Select(f => (f.Number, f.Point, Value: -f.Point[0])).ToList();
            var median = first.Select(f => f.Value).Order().ElementAt(5);
            foreach (var number in Enumerable.Range(10, 10))
            {
                var child = sampler.Next(new SamplerContext(number, 2, seed, first, Maximize: true));
                children++;
                if (-child[0] >= median) better++;
            }
        }

        Assert.That(better, Is.GreaterThan(children * 0.6), $"{better} of {children} children from the better half");
    }
}
