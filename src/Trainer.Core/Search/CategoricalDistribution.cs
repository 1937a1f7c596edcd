namespace Trainer.Search;

/// <summary>One of a list of choices, each equally likely (e.g. batch size 64, 128, 256, 512).</summary>
public sealed record CategoricalDistribution(IReadOnlyList<string> Choices) : IDistribution
{
    /// <inheritdoc />
    public object FromUnit(double unit) => Choices[Math.Min(Choices.Count - 1, (int)Math.Floor(unit * Choices.Count))];

    /// <inheritdoc />
    public double ToUnit(object value)
    {
        var index = Choices.ToList().IndexOf(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        if (index < 0) throw new ArgumentException($"'{value}' is not one of the choices {string.Join(", ", Choices)}.", nameof(value));
        return (index + 0.5) / Choices.Count;
    }

    /// <inheritdoc />
    public IEnumerable<string> Validate(string path)
    {
        if (Choices.Count == 0) yield return $"{path}: Categorical needs at least one choice in Choices.";
        if (Choices.Distinct().Count() != Choices.Count) yield return $"{path}: Categorical choices must be distinct.";
    }
}
