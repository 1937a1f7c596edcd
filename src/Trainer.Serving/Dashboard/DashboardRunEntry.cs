namespace Trainer.Serving.Dashboard;

/// <summary>A run in the dashboard's list.</summary>
/// <param name="RunId">The dashboard's id of the run (its run id; a path-derived id where two folders share one).</param>
/// <param name="Recipe">The recipe's name.</param>
/// <param name="Status">The run's status.</param>
/// <param name="Epochs">Epochs that finished.</param>
/// <param name="BestEpoch">The best epoch, when known.</param>
/// <param name="FinalMetrics">The summary's final metrics (empty while running).</param>
/// <param name="StartedAt">When it started, when known.</param>
/// <param name="Directory">The run directory, relative to the runs folder where it lies inside it.</param>
/// <param name="HasModel">True when the run has a model package (model/model.json).</param>
internal sealed record DashboardRunEntry(string RunId, string Recipe, string Status, int Epochs, int? BestEpoch,
    IReadOnlyDictionary<string, double?> FinalMetrics, DateTimeOffset? StartedAt, string Directory, bool HasModel);
