namespace Trainer.Serving.Api;

/// <summary>The best epoch so far by <paramref name="Metric"/> (val_loss, else train_loss, lowest).</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Metric">The metric it is best by.</param>
/// <param name="Value">Its value in that epoch.</param>
public sealed record BestEpoch(int Epoch, string Metric, double? Value);
