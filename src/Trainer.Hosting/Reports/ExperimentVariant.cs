namespace Trainer.Hosting.Reports;

/// <summary>One variant of an experiment, as <c>experiment.json</c> lists it; anything it lacks is null or empty.</summary>
internal sealed record ExperimentVariant(
    string Name,
    IReadOnlyList<(string Key, string Value)> Overrides,
    string? Directory,
    string? Status,
    int? ExitCode,
    int? Epochs,
    int? BestEpoch,
    double? DurationSeconds,
    IReadOnlyDictionary<string, double?> Metrics);
