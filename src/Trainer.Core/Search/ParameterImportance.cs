namespace Trainer.Search;

/// <summary>
/// How much each hyperparameter explains the objective, as Optuna's <c>MeanDecreaseImpurityImportanceEvaluator</c>:
/// a seeded random forest of regression trees (bootstrap samples, every parameter tried at each split) is fitted to the
/// complete trials' values on each parameter's unit scale (log for LogUniform, log of 1−β for OneMinusLogUniform, a
/// categorical parameter as its choice's cell); a parameter's importance is the decrease in squared error of the splits
/// on it, normalised per tree, averaged over the trees and normalised to sum to 1.
/// </summary>
public sealed class ParameterImportance
{
    private ParameterImportance(IReadOnlyList<(string Parameter, double Share)> shares, int trials, string? reason) =>
        (Shares, Trials, Reason) = (shares, trials, reason);

    /// <summary>Each parameter's share of the importance, largest first (summing to 1); empty when <see cref="Reason"/> says why.</summary>
    public IReadOnlyList<(string Parameter, double Share)> Shares { get; }

    /// <summary>How many complete trials with a finite value the forest was fitted to.</summary>
    public int Trials { get; }

    /// <summary>Why there are no shares (too few complete trials, or one value for all), else null.</summary>
    public string? Reason { get; }

    /// <summary>Estimates the importances over the complete trials with a finite value whose point has one coordinate per parameter.</summary>
    /// <param name="space">The parameters with their distributions, in the order of the trials' points.</param>
    /// <param name="trials">The study's trials (any state: only complete ones with a finite value count).</param>
    /// <param name="seed">The forest's seed: the same seed and trials give the same shares.</param>
    /// <param name="trees">The number of trees.</param>
    /// <param name="maxDepth">The deepest a tree grows.</param>
    /// <param name="minLeafSize">The fewest trials a leaf holds (less with fewer than 4·minLeafSize trials, down to 1).</param>
    public static ParameterImportance Estimate(IReadOnlyList<(string Path, IDistribution Distribution)> space, IReadOnlyList<TrialRecord> trials,
        int seed = 0, int trees = 64, int maxDepth = 10, int minLeafSize = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trees, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLeafSize, 1);
        var used = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v) && t.Point.Length == space.Count).ToList();
        if (space.Count == 0) return new([], used.Count, "the study searches no parameters");
        if (used.Count < 2) return new([], used.Count, $"needs at least 2 complete trials with a finite value (has {used.Count})");
        var x = used.Select(t => space.Select((d, i) => Coordinate(d.Distribution, t.Point[i])).ToArray()).ToArray();
        var y = used.Select(t => t.Value!.Value).ToArray();
        if (y.All(v => v == y[0])) return new([], used.Count, "every complete trial has the same value");

        var leaf = Math.Max(1, Math.Min(minLeafSize, used.Count / 4)); // a handful of trials: leaves of one, or nothing could split
        var total = new double[space.Count];
        var fitted = 0;
        for (var tree = 0; tree < trees; tree++)
        {
            var random = new Random(unchecked(seed * 7919 + tree * 104729 + 17));
            var sample = Enumerable.Range(0, y.Length).Select(_ => random.Next(y.Length)).ToArray();
            var importance = new double[space.Count];
            Grow(x, y, sample, 0, maxDepth, leaf, random, importance);
            var sum = importance.Sum();
            if (!(sum > 0)) continue; // a bootstrap sample of equal values: no split, nothing to say
            for (var d = 0; d < total.Length; d++) total[d] += importance[d] / sum;
            fitted++;
        }
        if (fitted == 0) return new([], used.Count, "no tree found a split that explains the values");
        var shares = space.Select((d, i) => (d.Path, total[i] / fitted)).ToList();
        var all = shares.Sum(s => s.Item2);
        return new(shares.Select(s => (s.Path, s.Item2 / all)).OrderByDescending(s => s.Item2).ToList(), used.Count, null);
    }

    /// <summary>A categorical choice as its cell's centre (every trial of one choice at the same place); others as sampled.</summary>
    private static double Coordinate(IDistribution distribution, double unit) => distribution is CategoricalDistribution categorical
        ? (Math.Min(Math.Floor(unit * categorical.Choices.Count), categorical.Choices.Count - 1) + 0.5) / categorical.Choices.Count
        : unit;

    /// <summary>Splits the node on the best threshold of any parameter (tried in a random order: ties go to a random one) and recurses.</summary>
    private static void Grow(double[][] x, double[] y, int[] node, int depth, int maxDepth, int minLeafSize, Random random, double[] importance)
    {
        if (depth >= maxDepth || node.Length < 2 * minLeafSize) return;
        var parentError = SquaredError(y, node);
        if (parentError <= 0) return;
        var features = Enumerable.Range(0, importance.Length).OrderBy(_ => random.Next()).ToArray();
        var (bestDecrease, bestFeature, bestThreshold) = (0.0, -1, 0.0);
        foreach (var feature in features)
        {
            var sorted = node.OrderBy(i => x[i][feature]).ToArray();
            double leftSum = 0, leftSquares = 0;
            double totalSum = sorted.Sum(i => y[i]), totalSquares = sorted.Sum(i => y[i] * y[i]);
            for (var k = 1; k < sorted.Length; k++)
            {
                var moved = y[sorted[k - 1]];
                leftSum += moved;
                leftSquares += moved * moved;
                if (k < minLeafSize || sorted.Length - k < minLeafSize || x[sorted[k]][feature] <= x[sorted[k - 1]][feature]) continue;
                var rightSum = totalSum - leftSum;
                var error = leftSquares - leftSum * leftSum / k + (totalSquares - leftSquares) - rightSum * rightSum / (sorted.Length - k);
                var decrease = parentError - error;
                if (decrease > bestDecrease + 1e-12 * parentError)
                    (bestDecrease, bestFeature, bestThreshold) = (decrease, feature, (x[sorted[k]][feature] + x[sorted[k - 1]][feature]) / 2);
            }
        }
        if (bestFeature < 0) return;
        importance[bestFeature] += bestDecrease;
        Grow(x, y, node.Where(i => x[i][bestFeature] <= bestThreshold).ToArray(), depth + 1, maxDepth, minLeafSize, random, importance);
        Grow(x, y, node.Where(i => x[i][bestFeature] > bestThreshold).ToArray(), depth + 1, maxDepth, minLeafSize, random, importance);
    }

    /// <summary>The sum of squared deviations from the mean of the node's values.</summary>
    private static double SquaredError(double[] y, int[] node)
    {
        var mean = node.Average(i => y[i]);
        return node.Sum(i => (y[i] - mean) * (y[i] - mean));
    }
}
