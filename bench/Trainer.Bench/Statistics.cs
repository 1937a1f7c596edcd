namespace Trainer.Bench;

/// <summary>Median and range of a sample.</summary>
public static class Statistics
{
    /// <summary>The median.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The <paramref name="q"/>-quantile, linearly interpolated between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>"median (min–max)" with the given format.</summary>
    public static string Describe(IReadOnlyList<double> values, string format) =>
        $"{Median(values).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} " +
        $"({values.Min().ToString(format, System.Globalization.CultureInfo.InvariantCulture)}–{values.Max().ToString(format, System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>"median [Q1, Q3]" (the interquartile range) with the given format.</summary>
    public static string DescribeQuartiles(IReadOnlyList<double> values, string format) =>
        $"{Median(values).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} " +
        $"[{Quantile(values, 0.25).ToString(format, System.Globalization.CultureInfo.InvariantCulture)}, " +
        $"{Quantile(values, 0.75).ToString(format, System.Globalization.CultureInfo.InvariantCulture)}]";
}
