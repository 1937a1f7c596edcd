namespace Trainer.Serving.Dashboard;

/// <summary>One finished epoch as the page plots it: a row of <c>metrics.csv</c> (NaN and infinities as null).</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch.</param>
/// <param name="SamplesPerSecond">Training throughput of the epoch, from the run's log; null when the log lacks it.</param>
/// <param name="Values">Every metric of the row by its column name (train_loss, val_loss, lr, …).</param>
internal sealed record DashboardEpochRow(int Epoch, double? Seconds, double? SamplesPerSecond, IReadOnlyDictionary<string, double?> Values);
