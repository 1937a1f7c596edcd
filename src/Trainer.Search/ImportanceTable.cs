using System.Globalization;

namespace Trainer.Search;

/// <summary>Prints a study's <see cref="ParameterImportance"/> as a table: parameter, share and a bar.</summary>
public static class ImportanceTable
{
    /// <summary>The width of a 100% bar, in characters.</summary>
    public const int BarWidth = 40;

    /// <summary>Prints "Importance …" and one row per parameter, largest share first, or the reason there is none.</summary>
    public static void Print(TextWriter output, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        var importance = ParameterImportance.Estimate(spec.Space, trials);
        if (importance.Reason is { } reason)
        {
            output.WriteLine($"Importance: none yet, {reason}.");
            return;
        }
        output.WriteLine($"Importance (random forest, mean decrease in impurity, {importance.Trials} complete trials):");
        var width = importance.Shares.Max(s => s.Parameter.Length);
        foreach (var (parameter, share) in importance.Shares)
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0}  {1,6:0.0%}  {2}", parameter.PadRight(width), share, Bar(share)));
    }

    /// <summary>A bar of <see cref="BarWidth"/>·share block characters (at least one for a share above 0).</summary>
    public static string Bar(double share) => new('█', share > 0 ? Math.Max(1, (int)Math.Round(share * BarWidth)) : 0);
}
