using MathNet.Numerics.Distributions;
using Trainer.Search;

namespace Trainer.Tests.Search;

public sealed class ParzenEstimatorTests
{
    private static readonly TpeOptions Univariate = new();
    private static readonly TpeOptions Multivariate = new() { Multivariate = true };

    private static double TruncatedGaussian(double x, double mu, double sigma) =>
        Normal.PDF(mu, sigma, x) / (Normal.CDF(mu, sigma, 1) - Normal.CDF(mu, sigma, 0));

    [Test]
    public void AUnivariateMixtureIsTheHandComputedOne()
    {
        // Observations 0.2 and 0.6 plus the prior (0.5, σ = 1), weights 1/3 each. Sorted centres with the ends:
        // 0 | 0.2 0.5 0.6 | 1: σ(0.2) = gap to the right (the left end is ignored) = 0.3; σ(0.6) = gap to the left = 0.1,
        // clipped up to 1/min(100, 3 + 1) = 0.25.
        var estimator = new ParzenEstimator([[0.2], [0.6]], [SearchDimension.Continuous], Univariate);

        Assert.That(estimator.Centres(0), Is.EqualTo(new[] { 0.2, 0.6, 0.5 }));
        Assert.That(estimator.Widths(0), Is.EqualTo(new[] { 0.3, 0.25, 1.0 }).Within(1e-12));
        Assert.That(estimator.Weights, Is.EqualTo(new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 }).Within(1e-12));
        foreach (var x in new[] { 0.1, 0.5, 0.9 })
        {
            var expected = (TruncatedGaussian(x, 0.2, 0.3) + TruncatedGaussian(x, 0.6, 0.25) + TruncatedGaussian(x, 0.5, 1.0)) / 3;
            Assert.That(estimator.LogDensity([x]), Is.EqualTo(Math.Log(expected)).Within(1e-12), $"x = {x}");
        }
    }

    [Test]
    public void DensitiesMatchOptunasParzenEstimator()
    {
        // Optuna 3.1's _ParzenEstimator(prior_weight=1, consider_magic_clip=True, consider_endpoints=False, default_weights)
        // .log_pdf on the same observations (FloatDistribution(0, 1), IntDistribution(0, 4), Categorical(a, b, c)). Its
        // truncnorm.logpdf lacks the −log σ term of a scaled density (see LogScore), so the continuous values are Optuna's
        // with that term put back; the discrete and categorical ones (masses) are Optuna 3.1's as printed.
        var continuous = new ParzenEstimator([[0.2], [0.6]], [SearchDimension.Continuous], Univariate);
        Assert.That(new[] { 0.1, 0.5, 0.9 }.Select(x => continuous.LogDensity([x])), Is.EqualTo(new[] { -0.039526930452860265, 0.20931964418417937, -0.45243699961063133 }).Within(1e-9));

        // Integers 0..4 are the cells of width 0.2; k observed 1, 3, 3.
        var integers = new SearchDimension(0, 0.2);
        var discrete = new ParzenEstimator([[0.3], [0.7], [0.7]], [integers], Univariate);
        Assert.That(new[] { 0, 1, 3, 4 }.Select(k => discrete.LogDensity([(k + 0.5) / 5])),
            Is.EqualTo(new[] { -2.15418587, -1.68166167, -1.30034874, -1.71941432 }).Within(1e-7));

        var joint = new ParzenEstimator([[0.2, 0.3, 0.5 / 3], [0.6, 0.7, 0.5 / 3], [0.7, 0.7, 2.5 / 3]],
            [SearchDimension.Continuous, integers, new SearchDimension(3, 0)], Multivariate);
        Assert.That(joint.LogDensity([0.1, 0.1, 0.5 / 3]), Is.EqualTo(-2.186483559846283).Within(1e-9));
        Assert.That(joint.LogDensity([0.65, 0.7, 2.5 / 3]), Is.EqualTo(-1.6151263097794266).Within(1e-9));
    }

    [Test]
    public void WidthWeightedScoresAreOptuna31sLogPdfAsPrinted()
    {
        // Optuna 3.1's _ParzenEstimator.log_pdf, printed, on the observations of the test above: without the −log σ of each
        // continuous kernel, which is the mixture with every kernel's weight times its width.
        var continuous = new ParzenEstimator([[0.2], [0.6]], [SearchDimension.Continuous], Univariate);
        Assert.That(new[] { 0.1, 0.5, 0.9 }.Select(x => continuous.LogScore([x])),
            Is.EqualTo(new[] { -0.6754342964220224, -0.5331681272658704, -0.9127713015595644 }).Within(1e-9));
        foreach (var x in new[] { 0.1, 0.5, 0.9 })
        {
            var widthWeighted = (0.3 * TruncatedGaussian(x, 0.2, 0.3) + 0.25 * TruncatedGaussian(x, 0.6, 0.25) + 1.0 * TruncatedGaussian(x, 0.5, 1.0)) / 3;
            Assert.That(continuous.LogScore([x]), Is.EqualTo(Math.Log(widthWeighted)).Within(1e-12), $"x = {x}");
        }

        var integers = new SearchDimension(0, 0.2);
        var joint = new ParzenEstimator([[0.2, 0.3, 0.5 / 3], [0.6, 0.7, 0.5 / 3], [0.7, 0.7, 2.5 / 3]],
            [SearchDimension.Continuous, integers, new SearchDimension(3, 0)], Multivariate);
        Assert.That(joint.LogScore([0.1, 0.1, 0.5 / 3]), Is.EqualTo(-3.3587913981492377).Within(1e-9));
        Assert.That(joint.LogScore([0.65, 0.7, 2.5 / 3]), Is.EqualTo(-2.9228993497341382).Within(1e-9));

        var discrete = new ParzenEstimator([[0.3], [0.7], [0.7]], [integers], Univariate);
        Assert.That(discrete.LogScore([0.1]), Is.EqualTo(discrete.LogDensity([0.1])), "masses of discrete cells have no width to weigh");
    }

    [Test]
    public void ACategoricalDimensionPutsTheObservedCategoryOnTopOfAnEvenPrior()
    {
        // Three kernels (categories 0, 0, 2) and the prior, weights 1/4; each row w/(n+1) = 1/4 on every category, +1 on
        // the observed one, normalised.
        var choices = new SearchDimension(3, 0);
        var estimator = new ParzenEstimator([[0.1], [0.2], [0.9]], [choices], Univariate);

        double Row(int observed, int category) => ((observed == category ? 1 : 0) + 0.25) / 1.75;
        for (var category = 0; category < 3; category++)
        {
            var expected = (Row(0, category) * 2 + Row(2, category) + 1 / 3.0) / 4;
            Assert.That(estimator.LogDensity([choices.UnitOf(category)]), Is.EqualTo(Math.Log(expected)).Within(1e-12), $"category {category}");
        }
        Assert.That(Enumerable.Range(0, 3).Sum(c => Math.Exp(estimator.LogDensity([choices.UnitOf(c)]))), Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void MultivariateKernelsUseScottsRuleAndKeepATrialsCoordinatesTogether()
    {
        var observations = Enumerable.Range(0, 40).Select(i => new[] { 0.1 + 0.002 * i, 0.9 - 0.002 * i }).ToList();
        var estimator = new ParzenEstimator(observations, [SearchDimension.Continuous, SearchDimension.Continuous], Multivariate);

        Assert.That(estimator.Widths(0)[0], Is.EqualTo(0.2 * Math.Pow(40, -1.0 / 6)).Within(1e-12));
        var random = new Random(3);
        var draws = Enumerable.Range(0, 400).Select(_ => estimator.Sample(random)).ToList();
        // Joint kernels: a draw near x = 0.15 comes with y near 0.85 (never from the empty corner x, y < 0.4).
        Assert.That(draws.Count(p => p[0] < 0.4 && p[1] < 0.4), Is.LessThan(draws.Count(p => p[0] < 0.4 && p[1] > 0.6) / 5));
        Assert.That(draws.SelectMany(p => p), Is.All.InRange(0.0, Math.BitDecrement(1.0)));
    }

    [Test]
    public void RecencyWeightsRampTheOldestTrialsAsOptunaDoes()
    {
        Assert.That(TpeOptions.RecencyWeights(3), Is.EqualTo(new[] { 1.0, 1.0, 1.0 }));
        var weights = TpeOptions.RecencyWeights(27);
        Assert.That(weights[..2], Is.EqualTo(new[] { 1 / 27.0, 1.0 }).Within(1e-12)); // numpy.linspace(1/27, 1, 2)
        Assert.That(weights[2..], Is.All.EqualTo(1.0));
        var longer = TpeOptions.RecencyWeights(35);
        Assert.That(longer[..10], Is.EqualTo(Enumerable.Range(0, 10).Select(i => 1 / 35.0 + (1 - 1 / 35.0) * i / 9)).Within(1e-12));
    }

    [Test]
    public void TheGoodSetIsTheBestTenPercentUpToTwentyFive()
    {
        var options = new TpeOptions();
        Assert.That(new[] { 1, 10, 11, 30, 249, 250, 1000 }.Select(options.GoodCount), Is.EqualTo(new[] { 1, 1, 2, 3, 25, 25, 25 }));
    }
}
