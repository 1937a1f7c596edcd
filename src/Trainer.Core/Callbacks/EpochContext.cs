using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Callbacks;

/// <summary>
/// The context of <see cref="TrainingCallback.OnEpochStart"/>, <see cref="TrainingCallback.OnValidationEnd"/> and
/// <see cref="TrainingCallback.OnEpochEnd"/>.
/// </summary>
public sealed class EpochContext : CallbackContext
{
    internal EpochContext(TrainingState state) : base(state) { }

    /// <summary>
    /// The metrics of the current epoch so far: empty at epoch start; train_loss, train_accuracy, val_loss,
    /// val_accuracy and lr after validation. Callbacks may add their own with <see cref="SetMetric"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics => State.EpochValues;

    /// <summary>
    /// The value of metric <paramref name="name"/> this epoch; throws <see cref="RecipeException"/> that names
    /// <paramref name="requester"/> and lists the metrics that exist when it was not logged.
    /// </summary>
    public double RequireMetric(string name, string requester)
    {
        if (State.EpochValues.TryGetValue(name, out var value)) return value;
        throw new RecipeException($"{requester}: metric '{name}' is not logged; available: {string.Join(", ", State.EpochValues.Keys.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>
    /// Adds or replaces a metric of this epoch (e.g. a running average); it is logged, kept in the history and,
    /// when present from the first epoch, written to metrics.csv. Call it in OnValidationEnd or earlier: the epoch is
    /// recorded before OnEpochEnd, and a later call throws.
    /// </summary>
    public void SetMetric(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (State.EpochRecorded)
            throw new InvalidOperationException(
                $"SetMetric('{name}') came after epoch {State.Epoch}'s metrics were recorded; call it in OnValidationEnd or earlier.");
        State.EpochValues[name] = value;
    }
}
