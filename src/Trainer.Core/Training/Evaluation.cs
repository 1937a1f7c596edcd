namespace Trainer.Training;

/// <summary>A model's mean loss and metrics on one split.</summary>
/// <param name="Loss">The task's loss, averaged over the split's examples.</param>
/// <param name="Metrics">Every metric of the task by name (e.g. "accuracy", "rmse"), without a split prefix.</param>
public sealed record Evaluation(double Loss, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The loss and metrics with <paramref name="split"/> as prefix: <c>val_loss</c>, <c>val_accuracy</c>, ….</summary>
    public IEnumerable<KeyValuePair<string, double>> Named(string split) =>
        Metrics.Select(m => KeyValuePair.Create($"{split}_{m.Key}", m.Value)).Prepend(KeyValuePair.Create($"{split}_loss", Loss));
}
