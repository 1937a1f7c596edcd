namespace Trainer.Search;

/// <summary>One objective of a multi-objective study (<c>Search:Objectives</c>): a metric and its direction.</summary>
/// <param name="Metric">The metric, e.g. "val_accuracy", or one the search measures itself: "epoch_seconds", "parameter_count".</param>
/// <param name="Maximize">True when larger values are better.</param>
public sealed record StudyObjective(string Metric, bool Maximize)
{
    /// <summary>"maximize" or "minimize".</summary>
    public string Direction => Maximize ? "maximize" : "minimize";
}
