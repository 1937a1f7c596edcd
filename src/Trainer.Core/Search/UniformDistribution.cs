using System.Globalization;

namespace Trainer.Search;

/// <summary>Uniform on [Min, Max].</summary>
public sealed record UniformDistribution(double Min, double Max) : IDistribution
{
    /// <inheritdoc />
    public object FromUnit(double unit) => Min + unit * (Max - Min);

    /// <inheritdoc />
    public double ToUnit(object value) => (Convert.ToDouble(value, CultureInfo.InvariantCulture) - Min) / (Max - Min);

    /// <inheritdoc />
    public IEnumerable<string> Validate(string path)
    {
        if (!(double.IsFinite(Min) && double.IsFinite(Max) && Min < Max)) yield return $"{path}: Uniform needs finite Min < Max (got {Min}, {Max}).";
    }
}
