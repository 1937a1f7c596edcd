using System.Globalization;

namespace Trainer.Search;

/// <summary>Integers Min..Max, each equally likely.</summary>
public sealed record IntUniformDistribution(long Min, long Max) : IDistribution
{
    /// <inheritdoc />
    public object FromUnit(double unit) => Math.Min(Max, Min + (long)Math.Floor(unit * (Max - Min + 1)));

    /// <inheritdoc />
    public double ToUnit(object value) => (Convert.ToInt64(value, CultureInfo.InvariantCulture) - Min + 0.5) / (Max - Min + 1);

    /// <inheritdoc />
    public IEnumerable<string> Validate(string path)
    {
        if (Min > Max) yield return $"{path}: IntUniform needs Min ≤ Max (got {Min}, {Max}).";
    }
}
