namespace Trainer.Serving.Dashboard;

/// <summary>One objective of a multi-objective study.</summary>
/// <param name="Metric">The metric, e.g. val_accuracy or parameter_count.</param>
/// <param name="Direction">"maximize" or "minimize".</param>
internal sealed record DashboardStudyObjective(string Metric, string Direction);
