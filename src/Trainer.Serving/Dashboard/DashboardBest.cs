namespace Trainer.Serving.Dashboard;

/// <summary>The best epoch so far by a metric.</summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="Metric">The metric that decides, e.g. val_loss.</param>
/// <param name="Value">Its value at that epoch.</param>
internal sealed record DashboardBest(int Epoch, string Metric, double? Value);
