namespace Trainer.Plugins.GradientCheck;

/// <summary>One compared entry.</summary>
/// <param name="Parameter">The parameter's name.</param>
/// <param name="Index">The entry's index in each dimension.</param>
/// <param name="Analytic">Backprop's dθ.</param>
/// <param name="Numeric">The two-sided estimate dθ_approx.</param>
public sealed record GradientCheckEntry(string Parameter, long[] Index, double Analytic, double Numeric)
{
    /// <summary>|numeric − analytic| / (|numeric| + |analytic|), 0 when both are 0.</summary>
    public double RelativeError
    {
        get
        {
            var denominator = Math.Abs(Numeric) + Math.Abs(Analytic);
            return denominator == 0 ? 0 : Math.Abs(Numeric - Analytic) / denominator;
        }
    }

    /// <summary>The index as "[i, j]".</summary>
    public string IndexText => $"[{string.Join(", ", Index)}]";
}
