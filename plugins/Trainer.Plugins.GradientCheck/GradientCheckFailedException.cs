namespace Trainer.Plugins.GradientCheck;

/// <summary>Thrown by the gradient-check callback to fail a run whose backprop disagrees with the numerical gradient.</summary>
public sealed class GradientCheckFailedException(GradientCheckReport report) : Exception(report.Summary)
{
    /// <summary>The failed check.</summary>
    public GradientCheckReport Report { get; } = report;
}
