using System.Globalization;

namespace Trainer.Search;

/// <summary>Log-uniform on [Min, Max]: every decade gets the same mass (the scale for a learning rate).</summary>
public sealed record LogUniformDistribution(double Min, double Max) : IDistribution
{
    /// <inheritdoc />
    public object FromUnit(double unit) => Math.Exp(Math.Log(Min) + unit * (Math.Log(Max) - Math.Log(Min)));

    /// <inheritdoc />
    public double ToUnit(object value) =>
        (Math.Log(Convert.ToDouble(value, CultureInfo.InvariantCulture)) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min));

    /// <inheritdoc />
    public IEnumerable<string> Validate(string path)
    {
        if (!(Min > 0 && double.IsFinite(Max) && Min < Max)) yield return $"{path}: LogUniform needs 0 < Min < Max (got {Min}, {Max}); a log scale cannot reach 0.";
    }
}
