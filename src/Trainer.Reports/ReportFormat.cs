using System.Globalization;

namespace Trainer.Reports;

/// <summary>How reports write numbers, durations and times: invariant culture, short but exact enough to compare.</summary>
internal static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Integers as they are; other values with four decimals (one from 1000 up), or in scientific notation when very
    /// small or large. <paramref name="integer"/> says whether the value's column holds only integers (default: this value is one).
    /// </summary>
    public static string Number(double value, bool? integer = null)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "−∞";
        var magnitude = Math.Abs(value);
        if ((integer ?? IsInteger(value)) && IsInteger(value)) return value.ToString("0", Invariant);
        if (value == 0) return "0";
        if (magnitude >= 1e-3 && magnitude < 1e6) return value.ToString(magnitude >= 1000 ? "0.0" : "0.0000", Invariant);
        return value.ToString("0.###E+0", Invariant);
    }

    /// <summary>True for a whole number that prints exactly without an exponent.</summary>
    public static bool IsInteger(double value) => double.IsFinite(value) && value == Math.Round(value) && Math.Abs(value) < 1e15;

    /// <summary>The shortest text that reads back as the same double.</summary>
    public static string Exact(double value) => value.ToString("R", Invariant);

    /// <summary>A parsed invariant-culture number, or null.</summary>
    public static double? Parse(string? text) =>
        double.TryParse(text, NumberStyles.Float, Invariant, out var value) ? value : null;

    /// <summary>"0.89 s", "2 min 05 s", "1 h 02 min".</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "—";
        if (seconds < 60) return seconds.ToString(seconds < 10 ? "0.##" : "0.#", Invariant) + " s";
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? string.Create(Invariant, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(Invariant, $"{span.Minutes} min {span.Seconds:00} s");
    }

    /// <summary>A whole number with thousands separators.</summary>
    public static string Rate(double value) => double.IsFinite(value) ? value.ToString("#,0", Invariant) : "—";

    /// <summary>"2026-11-23 13:13:20 +00:00".</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss zzz", Invariant);

    /// <summary>An integer in the invariant culture.</summary>
    public static string Integer(int value) => value.ToString(Invariant);
}
