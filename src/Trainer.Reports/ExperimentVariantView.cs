namespace Trainer.Reports;

/// <summary>
/// One variant of an experiment as the report reads it from <c>experiment.json</c>, tolerating a damaged or older file
/// (anything it lacks is null or empty); the runner writes the file from <see cref="Trainer.Hosting.Experiments.ExperimentVariantRecord"/>.
/// </summary>
internal sealed record ExperimentVariantView(
    string Name,
    IReadOnlyList<(string Key, string Value)> Overrides,
    string? Directory,
    string? Status,
    int? ExitCode,
    int? Epochs,
    int? BestEpoch,
    double? DurationSeconds,
    IReadOnlyDictionary<string, double?> Metrics);
