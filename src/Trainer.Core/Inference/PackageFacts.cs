namespace Trainer.Inference;

/// <summary>What a model package records besides the model: the run, how it ended, its metrics and which weights these are.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="RecipeJson">The resolved recipe as JSON (its Data, Model and Task sections are needed to use the model).</param>
/// <param name="Status">How the run ended.</param>
/// <param name="Metrics">The run's final metrics.</param>
/// <param name="WeightsDescription">Which weights the model holds, e.g. "best epoch 7 (restored)".</param>
/// <param name="WeightsEpoch">The epoch of those weights.</param>
public sealed record PackageFacts(string RunId, string RecipeJson, string Status, IReadOnlyDictionary<string, double> Metrics,
    string WeightsDescription, int? WeightsEpoch);
