using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Trainer.Plugins.GradientCheck;

/// <summary>Options of <c>"Type": "GradientCheck"</c> and of <c>trainer gradcheck</c>.</summary>
public sealed class GradientCheckOptions : IValidatableObject
{
    /// <summary>ε of (J(θ+εe_i) − J(θ−εe_i)) / 2ε, computed in float64. Default: 1e-7.</summary>
    [Description("Step of the two-sided difference (float64).")]
    [Range(1e-12, 1e-2)]
    public double Epsilon { get; set; } = GradientCheckDefaults.Epsilon;

    /// <summary>Relative errors below this are "ok". Default: 1e-7.</summary>
    [Description("Relative error below which the verdict is ok.")]
    [Range(0.0, 1.0)]
    public double OkBelow { get; set; } = GradientCheckDefaults.OkBelow;

    /// <summary>Relative errors below this (and not ok) are "warn"; up to <see cref="FailAbove"/> "suspect". Default: 1e-5.</summary>
    [Description("Relative error below which the verdict is warn.")]
    [Range(0.0, 1.0)]
    public double WarnBelow { get; set; } = GradientCheckDefaults.WarnBelow;

    /// <summary>Relative errors at or above this are "fail". Default: 1e-3.</summary>
    [Description("Relative error from which the verdict is fail.")]
    [Range(0.0, 1.0)]
    public double FailAbove { get; set; } = GradientCheckDefaults.FailAbove;

    /// <summary>Entries checked per parameter tensor, a seeded sample, unless <see cref="Full"/>. Default: 20.</summary>
    [Description("Entries checked per parameter tensor (seeded sample).")]
    [Range(1, 100_000_000)]
    public int MaxEntriesPerTensor { get; set; } = GradientCheckDefaults.MaxEntriesPerTensor;

    /// <summary>Check every entry of every parameter (for small models). Default: false.</summary>
    [Description("Check every entry (small models).")]
    public bool Full { get; set; }

    /// <summary>Examples in the fixed mini-batch (the first of the training split). Default: 32.</summary>
    [Description("Examples in the fixed mini-batch.")]
    [Range(2, 1_000_000)]
    public int BatchSize { get; set; } = GradientCheckDefaults.BatchSize;

    /// <summary>Seed of the entry sample. Default: 0.</summary>
    [Description("Seed of the entry sample.")]
    public int Seed { get; set; }

    /// <summary>As a callback: also check every this many epochs (never every step); 0 checks only at the start. Default: 0.</summary>
    [Description("Also check every N epochs (0: only at the start).")]
    [Range(0, 1_000_000)]
    public int EveryEpochs { get; set; }

    /// <summary>As a callback: fail the run when the verdict is fail. Default: true.</summary>
    [Description("Fail the run when the verdict is fail.")]
    public bool FailOnError { get; set; } = true;

    /// <summary>How many of the worst entries are reported. Default: 5.</summary>
    [Description("Worst entries reported.")]
    [Range(0, 1000)]
    public int WorstEntries { get; set; } = GradientCheckDefaults.WorstEntries;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!(OkBelow <= WarnBelow && WarnBelow <= FailAbove))
            yield return new ValidationResult($"Thresholds must satisfy OkBelow ≤ WarnBelow ≤ FailAbove (got {OkBelow}, {WarnBelow}, {FailAbove}).",
                [nameof(OkBelow), nameof(WarnBelow), nameof(FailAbove)]);
    }

    /// <summary>The verdict for a relative error.</summary>
    public GradientCheckVerdict VerdictOf(double relativeError) =>
        double.IsNaN(relativeError) || relativeError >= FailAbove ? GradientCheckVerdict.Fail
        : relativeError < OkBelow ? GradientCheckVerdict.Ok
        : relativeError < WarnBelow ? GradientCheckVerdict.Warn
        : GradientCheckVerdict.Suspect;
}
