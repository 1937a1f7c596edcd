using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Example.Extensions;

/// <summary>Options of <c>"Type": "ConfusionMatrix"</c>.</summary>
public sealed class ConfusionMatrixOptions : IValidatableObject
{
    /// <summary>The split evaluated when training ends: <c>validation</c> or <c>test</c>. Default: "test".</summary>
    [Description("Split evaluated at the end: validation or test.")]
    public string Split { get; set; } = "test";

    /// <summary>Also log the validation matrix's per-class recall every this many epochs; 0 for never. Default: 0.</summary>
    [Description("Epochs between validation matrices in the log (0: never).")]
    [Range(0, 1_000_000)]
    public int EveryEpochs { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Split is not ("validation" or "test"))
            yield return new ValidationResult($"'{Split}' is not a split; use validation or test.", [nameof(Split)]);
    }
}
