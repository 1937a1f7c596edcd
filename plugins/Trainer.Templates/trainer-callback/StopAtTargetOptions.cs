using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MyCallbacks;

/// <summary>Options of <c>{ "Type": "StopAtTarget", "Options": { … } }</c>.</summary>
public sealed class StopAtTargetOptions : IValidatableObject
{
    /// <summary>The epoch metric watched. Default: "val_accuracy".</summary>
    [Description("The epoch metric watched.")]
    public string Monitor { get; set; } = "val_accuracy";

    /// <summary>Stop once the metric reaches this value. Default: 0.95.</summary>
    [Description("Stop once the metric reaches this value.")]
    public double Target { get; set; } = 0.95;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Monitor)) yield return new ValidationResult("name a metric such as val_accuracy.", [nameof(Monitor)]);
        if (!double.IsFinite(Target)) yield return new ValidationResult("must be a finite number.", [nameof(Target)]);
    }
}
