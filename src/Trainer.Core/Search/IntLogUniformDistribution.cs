using System.Globalization;

namespace Trainer.Search;

/// <summary>Integers Min..Max on a log scale (e.g. hidden units 32..1024: as many draws below 181 as above).</summary>
public sealed record IntLogUniformDistribution(long Min, long Max) : IDistribution
{
    /// <inheritdoc />
    public object FromUnit(double unit)
    {
        // Each integer k covers [k − ½, k + ½) on the log axis, so the ends get their fair share.
        var low = Math.Log(Min - 0.5);
        var high = Math.Log(Max + 0.5);
        return Math.Clamp((long)Math.Round(Math.Exp(low + unit * (high - low))), Min, Max);
    }

    /// <inheritdoc />
    public double ToUnit(object value)
    {
        var low = Math.Log(Min - 0.5);
        var high = Math.Log(Max + 0.5);
        return (Math.Log(Convert.ToInt64(value, CultureInfo.InvariantCulture)) - low) / (high - low);
    }

    /// <inheritdoc />
    public IEnumerable<string> Validate(string path)
    {
        if (!(Min >= 1 && Min <= Max)) yield return $"{path}: IntLogUniform needs 1 ≤ Min ≤ Max (got {Min}, {Max}).";
    }
}
