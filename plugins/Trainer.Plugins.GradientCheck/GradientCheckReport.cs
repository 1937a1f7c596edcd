namespace Trainer.Plugins.GradientCheck;

/// <summary>The result of a gradient check.</summary>
/// <param name="Tensors">Per parameter tensor, in model order.</param>
/// <param name="RelativeError">The relative error over every checked entry.</param>
/// <param name="Verdict">The verdict of <paramref name="RelativeError"/>, raised to suspect or fail when a single tensor is.</param>
/// <param name="Worst">The worst entries, worst first.</param>
/// <param name="Duration">How long the check took.</param>
/// <param name="DropoutDisabled">True when the model had dropout, which the check turned off.</param>
public sealed record GradientCheckReport(
    IReadOnlyList<TensorGradientCheck> Tensors, double RelativeError, GradientCheckVerdict Verdict,
    IReadOnlyList<GradientCheckEntry> Worst, TimeSpan Duration, bool DropoutDisabled)
{
    /// <summary>The tensor with the largest relative error.</summary>
    public TensorGradientCheck WorstTensor => Tensors.MaxBy(t => double.IsNaN(t.RelativeError) ? double.PositiveInfinity : t.RelativeError)!;

    /// <summary>Entries compared in all.</summary>
    public long EntriesChecked => Tensors.Sum(t => t.EntriesChecked);

    /// <summary>One sentence: verdict, error, the worst parameter and entry, time.</summary>
    public string Summary
    {
        get
        {
            var worst = WorstTensor;
            var entry = Worst.FirstOrDefault(e => e.Parameter == worst.Name);
            var detail = entry is null ? "" : $" (worst entry {entry.IndexText}: analytic {entry.Analytic:G6}, numeric {entry.Numeric:G6})";
            return $"gradient check {Verdict.ToString().ToLowerInvariant()}: relative error {RelativeError:G3} over {EntriesChecked} entries; " +
                   $"worst parameter {worst.Name} at {worst.RelativeError:G3}{detail}; took {Duration.TotalSeconds:0.00} s";
        }
    }
}
