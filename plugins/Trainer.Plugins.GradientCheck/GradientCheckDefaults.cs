namespace Trainer.Plugins.GradientCheck;

/// <summary>Default option values of the gradient check.</summary>
public static class GradientCheckDefaults
{
    /// <summary>ε of the two-sided difference (float64).</summary>
    public const double Epsilon = 1e-7;
    /// <summary>Relative errors below this are ok.</summary>
    public const double OkBelow = 1e-7;
    /// <summary>Relative errors below this (and not ok) are a warning.</summary>
    public const double WarnBelow = 1e-5;
    /// <summary>Relative errors at or above this fail.</summary>
    public const double FailAbove = 1e-3;
    /// <summary>Entries checked per parameter tensor unless <see cref="GradientCheckOptions.Full"/>.</summary>
    public const int MaxEntriesPerTensor = 20;
    /// <summary>Examples in the fixed mini-batch.</summary>
    public const int BatchSize = 32;
    /// <summary>Worst entries reported.</summary>
    public const int WorstEntries = 5;
}
