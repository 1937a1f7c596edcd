namespace Trainer.Data;

/// <summary>How one feature column of a table is encoded, as fitted on the training rows.</summary>
/// <param name="Name">The column's header name.</param>
/// <param name="Categorical">Whether it is one-hot encoded (else it is one numeric input).</param>
/// <param name="Categories">For a categorical column: the categories the training rows show, in ordinal order (one input each).</param>
/// <param name="Mean">For a numeric column: the training rows' mean (what <c>Data:MissingValues = "mean"</c> imputes); null when none has a value.</param>
/// <param name="Frequencies">For a categorical column: each category's share of the training rows with a value (what "mean" imputes).</param>
public sealed record TableColumn(string Name, bool Categorical, IReadOnlyList<string>? Categories, double? Mean, IReadOnlyList<double>? Frequencies)
{
    /// <summary>The names of the inputs this column becomes: its name, or <c>name=category</c> per category.</summary>
    public IEnumerable<string> FeatureNames => Categorical ? Categories!.Select(c => $"{Name}={c}") : [Name];
}
