namespace Trainer.Search;

/// <summary>
/// Pareto dominance for multi-objective studies: non-dominated sorting, the front, crowding distance and the exact
/// hypervolume. Every method takes one objective vector per point and one direction per objective (true: larger is
/// better); values are expected to be finite.
/// </summary>
public static class Pareto
{
    /// <summary>True when <paramref name="a"/> is at least as good as <paramref name="b"/> in every objective and better in one.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<bool> maximize)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(maximize);
        var better = false;
        for (var k = 0; k < maximize.Count; k++)
        {
            var (x, y) = maximize[k] ? (-a[k], -b[k]) : (a[k], b[k]);
            if (x > y) return false;
            if (x < y) better = true;
        }
        return better;
    }

    /// <summary>
    /// Each point's non-domination rank (fast non-dominated sorting, Deb et al. 2002): 0 for the front, 1 for the front
    /// of the rest, and so on.
    /// </summary>
    public static int[] Ranks(IReadOnlyList<double[]> values, IReadOnlyList<bool> maximize)
    {
        Check(values, maximize);
        var n = values.Count;
        var dominatedBy = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++) dominates[i] = [];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                if (Dominates(values[i], values[j], maximize))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
                else if (Dominates(values[j], values[i], maximize))
                {
                    dominates[j].Add(i);
                    dominatedBy[i]++;
                }
            }
        var ranks = new int[n];
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        for (var rank = 0; current.Count > 0; rank++)
        {
            var next = new List<int>();
            foreach (var i in current)
            {
                ranks[i] = rank;
                foreach (var j in dominates[i])
                    if (--dominatedBy[j] == 0) next.Add(j);
            }
            current = next;
        }
        return ranks;
    }

    /// <summary>The indices of the non-dominated points (rank 0), in ascending order.</summary>
    public static int[] Front(IReadOnlyList<double[]> values, IReadOnlyList<bool> maximize) =>
        Ranks(values, maximize).Select((rank, i) => (rank, i)).Where(x => x.rank == 0).Select(x => x.i).ToArray();

    /// <summary>
    /// Each point's crowding distance within the set (normally one front): per objective, the points at either end get
    /// infinity and the others the gap between their two neighbours divided by the objective's range, summed over the
    /// objectives. An objective whose values are all equal adds nothing. Larger means lonelier, so preferred.
    /// </summary>
    public static double[] CrowdingDistances(IReadOnlyList<double[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        var distances = new double[n];
        if (n == 0) return distances;
        if (n <= 2) return Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var objectives = values[0].Length;
        for (var k = 0; k < objectives; k++)
        {
            var order = Enumerable.Range(0, n).OrderBy(i => values[i][k]).ThenBy(i => i).ToArray();
            var range = values[order[^1]][k] - values[order[0]][k];
            distances[order[0]] = distances[order[^1]] = double.PositiveInfinity;
            if (!(range > 0)) continue;
            for (var r = 1; r < n - 1; r++)
                distances[order[r]] += (values[order[r + 1]][k] - values[order[r - 1]][k]) / range;
        }
        return distances;
    }

    /// <summary>
    /// The exact hypervolume the points dominate up to <paramref name="reference"/> (a point worse than every point of
    /// interest in every objective): the measure of the region that some point dominates and that dominates the
    /// reference. Points not strictly better than the reference in every objective add nothing.
    /// </summary>
    public static double Hypervolume(IReadOnlyList<double[]> values, IReadOnlyList<bool> maximize, IReadOnlyList<double> reference)
    {
        Check(values, maximize);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Count != maximize.Count)
            throw new ArgumentException($"The reference point has {reference.Count} coordinates; the directions name {maximize.Count} objectives.", nameof(reference));
        // As minimisation with the reference at the origin: each point becomes its (negative) offset from the reference.
        var points = values
            .Select(v => v.Select((x, k) => maximize[k] ? reference[k] - x : x - reference[k]).ToArray())
            .Where(p => p.All(x => x < 0))
            .ToList();
        return Volume(points, maximize.Count);
    }

    /// <summary>The volume between the points (every coordinate negative) and the origin, by slicing along the last objective.</summary>
    private static double Volume(List<double[]> points, int dimensions)
    {
        if (points.Count == 0) return 0;
        if (dimensions == 1) return -points.Min(p => p[0]);
        var last = dimensions - 1;
        var sorted = points.OrderBy(p => p[last]).ToList();
        if (dimensions == 2)
        {
            // A sweep: each slice's width is the best first coordinate among the points below it.
            double area = 0, lowest = 0;
            for (var i = 0; i < sorted.Count; i++)
            {
                lowest = Math.Min(lowest, sorted[i][0]);
                area += ((i + 1 < sorted.Count ? sorted[i + 1][1] : 0) - sorted[i][1]) * -lowest;
            }
            return area;
        }
        var volume = 0.0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var top = i + 1 < sorted.Count ? sorted[i + 1][last] : 0;
            var height = top - sorted[i][last];
            if (height <= 0) continue;
            volume += height * Volume(sorted.Take(i + 1).ToList(), last);
        }
        return volume;
    }

    private static void Check(IReadOnlyList<double[]> values, IReadOnlyList<bool> maximize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(maximize);
        for (var i = 0; i < values.Count; i++)
            if (values[i].Length != maximize.Count)
                throw new ArgumentException($"Point {i} has {values[i].Length} objective values; the directions name {maximize.Count}.", nameof(values));
    }
}
