using Trainer.Training;

namespace Trainer.Serving.Api;

/// <summary>One finished epoch as the API returns it: <c>values</c> holds the metrics.csv columns, NaN and infinities as null.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, training and validation, paused time excluded.</param>
/// <param name="SamplesPerSecond">Training examples per second.</param>
/// <param name="Values">Every metric of the epoch by its metrics.csv column name (train_loss, val_accuracy, lr, …).</param>
public sealed record EpochRow(int Epoch, double? Seconds, double? SamplesPerSecond, IReadOnlyDictionary<string, double?> Values)
{
    /// <summary>The row of <paramref name="metrics"/>.</summary>
    public static EpochRow From(EpochMetrics metrics) => new(metrics.Epoch, Finite(metrics.Seconds), Finite(metrics.SamplesPerSecond),
        metrics.Values.ToDictionary(p => p.Key, p => Finite(p.Value)));

    /// <summary><paramref name="value"/>, or null when it is NaN or infinite (JSON has no such numbers).</summary>
    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
