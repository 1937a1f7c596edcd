namespace Trainer.Serving.Dashboard;

/// <summary>A trial of a study.</summary>
/// <param name="Number">Its number, from 0.</param>
/// <param name="State">running, complete, pruned or failed.</param>
/// <param name="Value">The objective value, once complete or pruned.</param>
/// <param name="Params">The sampled values by configuration path, as stored.</param>
/// <param name="RunId">The dashboard id of its run (for <c>?run=</c> links), when its run directory is known.</param>
/// <param name="RunDirectory">Its run directory.</param>
/// <param name="Failure">Why it failed.</param>
/// <param name="Values">In a multi-objective study, every objective's value (null when not finite); else null.</param>
/// <param name="Pareto">In a multi-objective study, whether the trial is on the Pareto front; else null.</param>
internal sealed record DashboardStudyTrial(int Number, string State, double? Value, IReadOnlyDictionary<string, string> Params,
    string? RunId, string? RunDirectory, string? Failure, IReadOnlyList<double?>? Values = null, bool? Pareto = null);
