using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class ParetoTests
{
    // Minimise both: (1,5), (2,3) and (4,1) form the front; (2,3) dominates (3,4); everything dominates (5,5).
    private static readonly double[][] Points2D = [[1, 5], [2, 3], [3, 4], [4, 1], [5, 5]];

    // Minimise all three: the first three are mutually non-dominated and (2,2,2) dominates (3,3,3).
    private static readonly double[][] Points3D = [[1, 2, 3], [3, 2, 1], [2, 2, 2], [3, 3, 3]];

    private static double[][] Negate(double[][] points, int objective) =>
        points.Select(p => p.Select((x, k) => k == objective ? -x : x).ToArray()).ToArray();

    [Test]
    public void RanksPeelTheFrontsOfATwoObjectiveSet()
    {
        Assert.That(Pareto.Ranks(Points2D, [false, false]), Is.EqualTo(new[] { 0, 0, 1, 0, 2 }));
        Assert.That(Pareto.Front(Points2D, [false, false]), Is.EqualTo(new[] { 0, 1, 3 }));
    }

    [Test]
    public void MaximisedObjectivesRankAsTheirNegatedMinimisation()
    {
        var maximiseFirst = Negate(Points2D, 0);

        Assert.That(Pareto.Ranks(maximiseFirst, [true, false]), Is.EqualTo(new[] { 0, 0, 1, 0, 2 }));
        Assert.That(Pareto.Ranks(maximiseFirst, [false, false]), Is.EqualTo(new[] { 2, 1, 1, 0, 0 }), "the same numbers, both minimised");
        Assert.That(Pareto.Ranks(Negate(Points3D, 2), [false, false, true]), Is.EqualTo(new[] { 0, 0, 0, 1 }));
    }

    [Test]
    public void EqualPointsShareARankAndThreeObjectivesRankToo()
    {
        Assert.That(Pareto.Ranks([[1, 1], [1, 1], [2, 2]], [false, false]), Is.EqualTo(new[] { 0, 0, 1 }));
        Assert.That(Pareto.Ranks(Points3D, [false, false, false]), Is.EqualTo(new[] { 0, 0, 0, 1 }));
        Assert.That(Pareto.Dominates([1, 1], [1, 1], [false, false]), Is.False);
        Assert.That(Pareto.Dominates([1, 2], [1, 3], [false, false]), Is.True);
    }

    [Test]
    public void CrowdingDistanceSumsTheNormalisedGapsAndGivesTheEndsInfinity()
    {
        // Objective 0: 1, 2, 3, 4 (range 3); objective 1: 4, 3, 1.5, 1 (range 3).
        var distances = Pareto.CrowdingDistances([[1, 4], [2, 3], [3, 1.5], [4, 1]]);

        Assert.That(distances[0], Is.EqualTo(double.PositiveInfinity));
        Assert.That(distances[3], Is.EqualTo(double.PositiveInfinity));
        Assert.That(distances[1], Is.EqualTo(2 / 3.0 + 2.5 / 3).Within(1e-12));
        Assert.That(distances[2], Is.EqualTo(2 / 3.0 + 2 / 3.0).Within(1e-12));
        Assert.That(Pareto.CrowdingDistances([[1, 5], [2, 3], [4, 1]])[1], Is.EqualTo(3 / 3.0 + 4 / 4.0).Within(1e-12));
    }

    [Test]
    public void HypervolumeOfATwoObjectiveFrontIsTheAreaOfItsStaircase()
    {
        // Up to (6, 6): x in [1,2) adds 1·1, [2,4) adds 2·3, [4,6) adds 2·5; the dominated points add nothing.
        Assert.That(Pareto.Hypervolume(Points2D, [false, false], [6, 6]), Is.EqualTo(17).Within(1e-12));
        Assert.That(Pareto.Hypervolume(Negate(Points2D, 0), [true, false], [-6, 6]), Is.EqualTo(17).Within(1e-12));
        Assert.That(Pareto.Hypervolume([[1, 1]], [false, false], [3, 2]), Is.EqualTo(2).Within(1e-12));
        Assert.That(Pareto.Hypervolume([[1, 7], [7, 1]], [false, false], [6, 6]), Is.Zero, "points beyond the reference add nothing");
    }

    [Test]
    public void HypervolumeOfAThreeObjectiveSetMatchesInclusionExclusion()
    {
        // Boxes up to (4,4,4): 6 + 6 + 8, less the pairwise overlaps 2 + 4 + 4, plus the triple overlap 2.
        Assert.That(Pareto.Hypervolume(Points3D, [false, false, false], [4, 4, 4]), Is.EqualTo(12).Within(1e-12));
        Assert.That(Pareto.Hypervolume(Negate(Points3D, 2), [false, false, true], [4, 4, -4]), Is.EqualTo(12).Within(1e-12));
    }

    [Test]
    public void HypervolumeInOneAndFourDimensions()
    {
        Assert.That(Pareto.Hypervolume([[3], [1]], [false], [5]), Is.EqualTo(4).Within(1e-12));
        // Up to (2,2,2,2): two boxes of 2·1·1·1 that overlap in the unit box [1,2]⁴.
        Assert.That(Pareto.Hypervolume([[0, 1, 1, 1], [1, 0, 1, 1]], [false, false, false, false], [2, 2, 2, 2]), Is.EqualTo(3).Within(1e-12));
    }

    [Test]
    public void AVectorOfTheWrongLengthIsRefused()
    {
        Assert.That(() => Pareto.Ranks([[1, 2, 3]], [false, false]), Throws.ArgumentException);
        Assert.That(() => Pareto.Hypervolume([[1, 2]], [false, false], [3]), Throws.ArgumentException);
    }
}
