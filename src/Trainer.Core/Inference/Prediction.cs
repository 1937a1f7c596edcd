namespace Trainer.Inference;

/// <summary>
/// A trained model's prediction for one example: for a classifier the class (index and name) and every class's
/// probability; for a binary or multilabel task each output's probability and the labels at or above the threshold;
/// for regression the predicted values in the target's own units.
/// </summary>
/// <param name="Id">The example's id: its file name, row or index.</param>
/// <param name="Label">The predicted class (classification), or 1/0 (binary); null for regression and multilabel.</param>
/// <param name="ClassName">The predicted class's name where the data named its classes; else null.</param>
/// <param name="Scores">Probabilities per class or output, or the predicted values (regression).</param>
public sealed record Prediction(string Id, int? Label, string? ClassName, float[] Scores)
{
    /// <summary>Multilabel: the labels whose probability reached the threshold; null for the other kinds.</summary>
    public IReadOnlyList<int>? PositiveLabels { get; init; }
}
