namespace Trainer.Search;

/// <summary>
/// A Parzen estimator over the unit hypercube as TPE builds it (Optuna 3.1's <c>_ParzenEstimator</c>): one kernel per
/// observed point plus a prior kernel, weighted by <see cref="TpeOptions.RecencyWeights"/> and
/// <see cref="TpeOptions.PriorWeight"/>. A continuous dimension's kernel is a Gaussian truncated to [0, 1] (centred on
/// the observation; the prior's on 0.5 with σ = 1), σ from the distance to the neighbouring observations (univariate)
/// or Scott's rule 0.2·n^(−1/(d+4)) (multivariate), clipped to [1/min(100, kernels + 1), 1]; a discrete dimension's
/// kernel gives each cell the Gaussian's mass over it; a categorical one puts 1 + w/(n+1) on the observed category and
/// w/(n+1) on each, normalised (w the prior weight).
/// </summary>
public sealed class ParzenEstimator
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private readonly SearchDimension[] dimensions;
    private readonly double[] logWeights;
    private readonly double[][] mus;
    private readonly double[][] sigmas;
    private readonly double[][][] categoryLogProbabilities;
    private readonly double[][] logMassInRange; // log of each kernel's Gaussian mass over [0, 1], its truncation's normaliser
    private readonly double[][] logSigmas; // log σ of each kernel, the 1/σ that LogDensity has and LogScore leaves out

    /// <summary>Builds the estimator.</summary>
    /// <param name="observations">The observed unit points, in trial order.</param>
    /// <param name="dimensions">Each coordinate's kind.</param>
    /// <param name="options">The prior weight, clipping and multivariate settings.</param>
    /// <param name="observationWeights">The observations' weights (default: <see cref="TpeOptions.RecencyWeights"/>).</param>
    public ParzenEstimator(IReadOnlyList<double[]> observations, IReadOnlyList<SearchDimension> dimensions, TpeOptions options,
        IReadOnlyList<double>? observationWeights = null)
    {
        this.dimensions = [.. dimensions];
        var n = observations.Count;
        var raw = observationWeights?.ToArray() ?? TpeOptions.RecencyWeights(n);
        if (raw.Length != n) throw new ArgumentException($"{raw.Length} weights for {n} observations.", nameof(observationWeights));
        var all = raw.Append(options.PriorWeight).ToArray();
        var total = all.Sum();
        Weights = all.Select(w => w / total).ToArray();
        logWeights = Weights.Select(w => Math.Log(w)).ToArray();

        var d = dimensions.Count;
        mus = new double[d][];
        sigmas = new double[d][];
        categoryLogProbabilities = new double[d][][];
        logMassInRange = new double[d][];
        logSigmas = new double[d][];
        var scott = 0.2 * Math.Pow(Math.Max(n, 1), -1.0 / (d + 4));
        for (var k = 0; k < d; k++)
        {
            var dimension = dimensions[k];
            if (dimension.IsCategorical)
            {
                categoryLogProbabilities[k] = CategoryLogProbabilities(observations.Select(o => dimension.Category(o[k])).ToList(), dimension.Choices, options.PriorWeight);
                continue;
            }
            var observed = observations.Select(o => dimension.Step > 0 ? dimension.CellCentre(o[k]) : Math.Clamp(o[k], 0, 1)).ToArray();
            mus[k] = [.. observed, 0.5];
            sigmas[k] = options.Multivariate ? Enumerable.Repeat(scott, n + 1).ToArray() : NeighbourSigmas(mus[k], options.ConsiderEndpoints);
            var minimum = options.MagicClip ? 1.0 / Math.Min(100.0, 1.0 + mus[k].Length) : 1e-12;
            for (var i = 0; i < n; i++) sigmas[k][i] = Math.Clamp(sigmas[k][i], minimum, 1.0);
            sigmas[k][n] = 1.0; // the prior's
            logMassInRange[k] = mus[k].Select((mu, i) => TruncatedNormal.LogMass(0, 1, mu, sigmas[k][i])).ToArray();
            logSigmas[k] = sigmas[k].Select(s => Math.Log(s)).ToArray();
        }
    }

    /// <summary>The kernels' normalised weights, the prior's last.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The kernels' centres on continuous or discrete dimension <paramref name="dimension"/>, the prior's (0.5) last.</summary>
    public IReadOnlyList<double> Centres(int dimension) => mus[dimension];

    /// <summary>The kernels' widths σ on continuous or discrete dimension <paramref name="dimension"/>, the prior's (1) last.</summary>
    public IReadOnlyList<double> Widths(int dimension) => sigmas[dimension];

    /// <summary>log of the mixture's density (or mass, on discrete and categorical coordinates) at <paramref name="point"/>.</summary>
    public double LogDensity(IReadOnlyList<double> point) => Log(point, widthWeighted: false);

    /// <summary>
    /// log of the width-weighted mixture TPE ranks candidates by (<see cref="TpeOptions.WidthWeightedScores"/>): each
    /// kernel's density times its width σ on every continuous coordinate, i.e. Optuna 3.1's <c>log_pdf</c>, whose
    /// truncated normal leaves out the 1/σ of a scaled density. It favours broad kernels (isolated trials, the prior) over
    /// tight clusters of trials, so the search explores more.
    /// </summary>
    public double LogScore(IReadOnlyList<double> point) => Log(point, widthWeighted: true);

    private double Log(IReadOnlyList<double> point, bool widthWeighted)
    {
        var kernels = Weights.Count;
        var terms = new double[kernels];
        for (var i = 0; i < kernels; i++) terms[i] = logWeights[i];
        for (var k = 0; k < dimensions.Length; k++)
        {
            var dimension = dimensions[k];
            if (dimension.IsCategorical)
            {
                var category = dimension.Category(point[k]);
                for (var i = 0; i < kernels; i++) terms[i] += categoryLogProbabilities[k][i][category];
            }
            else if (dimension.Step > 0)
            {
                var centre = dimension.CellCentre(point[k]);
                double low = Math.Max(0, centre - dimension.Step / 2), high = Math.Min(1, centre + dimension.Step / 2);
                for (var i = 0; i < kernels; i++)
                    terms[i] += TruncatedNormal.LogMass(low, high, mus[k][i], sigmas[k][i]) - logMassInRange[k][i];
            }
            else
            {
                for (var i = 0; i < kernels; i++)
                {
                    var z = (point[k] - mus[k][i]) / sigmas[k][i];
                    terms[i] += -0.5 * z * z - LogSqrtTwoPi - (widthWeighted ? 0 : logSigmas[k][i]) - logMassInRange[k][i];
                }
            }
        }
        var max = terms.Max();
        if (double.IsNegativeInfinity(max)) return max;
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    /// <summary>A draw from the mixture: one kernel by weight, then each coordinate from that kernel; in [0, 1).</summary>
    public double[] Sample(Random random)
    {
        var u = random.NextDouble();
        var kernel = 0;
        for (var cumulative = Weights[0]; kernel < Weights.Count - 1 && cumulative <= u; cumulative += Weights[++kernel]) { }
        var point = new double[dimensions.Length];
        for (var k = 0; k < dimensions.Length; k++)
        {
            var dimension = dimensions[k];
            if (dimension.IsCategorical)
            {
                var v = random.NextDouble();
                var category = 0;
                var probabilities = categoryLogProbabilities[k][kernel];
                for (var cumulative = Math.Exp(probabilities[0]); category < dimension.Choices - 1 && cumulative <= v; cumulative += Math.Exp(probabilities[++category])) { }
                point[k] = dimension.UnitOf(category);
                continue;
            }
            var x = TruncatedNormal.Sample(random, mus[k][kernel], sigmas[k][kernel], 0, 1);
            point[k] = dimension.Step > 0 ? dimension.CellCentre(Math.Min(x, Math.BitDecrement(1.0))) : Math.Min(x, Math.BitDecrement(1.0));
        }
        return point;
    }

    /// <summary>Optuna's univariate bandwidths: each centre's larger gap to its sorted neighbours (0 and 1 at the ends).</summary>
    private static double[] NeighbourSigmas(double[] centres, bool considerEndpoints)
    {
        var order = Enumerable.Range(0, centres.Length).OrderBy(i => centres[i]).ToArray();
        var withEnds = new double[centres.Length + 2];
        withEnds[0] = 0;
        withEnds[^1] = 1;
        for (var i = 0; i < order.Length; i++) withEnds[i + 1] = centres[order[i]];
        var sorted = new double[centres.Length];
        for (var i = 0; i < sorted.Length; i++) sorted[i] = Math.Max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
        if (!considerEndpoints && withEnds.Length >= 4)
        {
            sorted[0] = withEnds[2] - withEnds[1];
            sorted[^1] = withEnds[^2] - withEnds[^3];
        }
        var result = new double[centres.Length];
        for (var i = 0; i < order.Length; i++) result[order[i]] = sorted[i];
        return result;
    }

    private static double[][] CategoryLogProbabilities(IReadOnlyList<int> observed, int choices, double priorWeight)
    {
        var rows = new double[observed.Count + 1][];
        var fill = priorWeight / (observed.Count + 1);
        for (var i = 0; i < rows.Length; i++)
        {
            var row = Enumerable.Repeat(fill, choices).ToArray();
            if (i < observed.Count) row[observed[i]] += 1;
            var sum = row.Sum();
            rows[i] = row.Select(p => Math.Log(p / sum)).ToArray();
        }
        return rows;
    }
}
