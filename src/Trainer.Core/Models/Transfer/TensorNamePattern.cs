using System.Text.RegularExpressions;

namespace Trainer.Models.Transfer;

/// <summary>
/// A name pattern of <c>Model:InitFromSkip</c> and <c>Model:Freeze</c>: matched against whole state-dictionary names such
/// as <c>layers.out.weight</c>, ordinally; <c>*</c> stands for any run of characters (dots included), <c>?</c> for one.
/// </summary>
internal sealed class TensorNamePattern
{
    private readonly Regex regex;

    private TensorNamePattern(string text)
    {
        Text = text;
        regex = new Regex("^" + Regex.Escape(text).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>The pattern as the recipe wrote it.</summary>
    public string Text { get; }

    /// <summary>The patterns of a recipe list; none when it is null.</summary>
    public static IReadOnlyList<TensorNamePattern> Parse(IEnumerable<string>? patterns) =>
        patterns is null ? [] : patterns.Select(p => new TensorNamePattern(p.Trim())).ToList();

    /// <summary>True when <paramref name="name"/> matches the whole pattern.</summary>
    public bool IsMatch(string name) => regex.IsMatch(name);

    /// <summary>True when any of <paramref name="patterns"/> matches <paramref name="name"/>.</summary>
    public static bool Any(IReadOnlyList<TensorNamePattern> patterns, string name) => patterns.Any(p => p.IsMatch(name));

    /// <summary>Up to <paramref name="most"/> names, then how many were left out, for an error message.</summary>
    public static string Brief(IEnumerable<string> names, int most = 12)
    {
        var all = names.ToList();
        return all.Count <= most ? string.Join(", ", all) : $"{string.Join(", ", all.Take(most))}, … ({all.Count} in all)";
    }
}
