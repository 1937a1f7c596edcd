using System.ComponentModel.DataAnnotations;
// This project's global using of NUnit.Framework has attributes of the same names; a plugin project needs no aliases.
using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: plateau-stop-options
/// <summary>Options of <c>"Type": "PlateauStop"</c>.</summary>
public sealed class PlateauStopOptions : IValidatableObject
{
    [Description("Loss to watch (any epoch metric where lower is better).")]
    [Required(AllowEmptyStrings = false)]
    public string Monitor { get; set; } = "val_loss";

    [Description("Epochs without improvement before stopping.")]
    [Range(1, 1000)]
    public int Patience { get; set; } = 3;

    [Description("Least decrease that counts as an improvement.")]
    [Range(0.0, double.MaxValue)]
    public double MinDelta { get; set; }

    [Description("Epochs at the start that are not checked.")]
    [Range(0, 1000)]
    public int WarmupEpochs { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Monitor.Contains("accuracy", StringComparison.Ordinal))
            yield return new ValidationResult(
                $"'{Monitor}' grows as the model improves; PlateauStop watches a loss, e.g. val_loss.", [nameof(Monitor)]);
    }
}
// end-snippet
