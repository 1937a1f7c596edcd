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

    /// <summary>"median (min–max)" with the given format.</summary>
    public static string Describe(IReadOnlyList<double> values, string format) =>
        $"{Median(values).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} " +
        $"({values.Min().ToString(format, System.Globalization.CultureInfo.InvariantCulture)}–{values.Max().ToString(format, System.Globalization.CultureInfo.InvariantCulture)})";
}
