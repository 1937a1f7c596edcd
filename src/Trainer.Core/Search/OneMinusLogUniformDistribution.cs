using System.Globalization;

namespace Trainer.Search;

/// <summary>
/// β in [Min, Max] ⊂ (0, 1) with 1−β log-uniform: 0.9…0.99 gets as much mass as 0.99…0.999 (the scale for momentum
/// and Adam's β, whose effective window 1/(1−β) is what matters).
/// </summary>
public sealed record OneMinusLogUniformDistribution(double Min, double Max) : IDistribution
{
    private LogUniformDistribution OneMinus => new(1 - Max, 1 - Min);

    /// <inheritdoc />
    public object FromUnit(double unit) => 1 - (double)OneMinus.FromUnit(1 - unit);

    /// <inheritdoc />
    public double ToUnit(object value) => 1 - OneMinus.ToUnit(1 - Convert.ToDouble(value, CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public IEnumerable<string> Validate(string path)
    {
        if (!(Min > 0 && Max < 1 && Min < Max)) yield return $"{path}: OneMinusLogUniform needs 0 < Min < Max < 1 (got {Min}, {Max}).";
    }
}
