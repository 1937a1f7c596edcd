namespace Trainer.Serving.Dashboard;

/// <summary>A parameter's share of a study's <see cref="Trainer.Search.ParameterImportance"/>.</summary>
/// <param name="Parameter">The configuration path.</param>
/// <param name="Share">Its share, in [0, 1]; the shares of a study sum to 1.</param>
internal sealed record DashboardStudyImportance(string Parameter, double Share);
