namespace Trainer.Plugins.GradientCheck;

/// <summary>Draws distinct entry indices, in ascending order, without materialising a large range.</summary>
internal static class IndexSample
{
    /// <summary>All of 0..count−1 when k ≥ count, else k distinct ones chosen by <paramref name="random"/> (Floyd's algorithm).</summary>
    public static long[] Draw(long count, long k, Random random)
    {
        if (k >= count)
        {
            var all = new long[count];
            for (long i = 0; i < count; i++) all[i] = i;
            return all;
        }
        var chosen = new HashSet<long>();
        for (var j = count - k; j < count; j++)
        {
            var t = random.NextInt64(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }
        return chosen.Order().ToArray();
    }
}
