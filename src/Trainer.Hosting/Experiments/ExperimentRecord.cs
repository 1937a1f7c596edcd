namespace Trainer.Hosting.Experiments;

/// <summary><c>experiment.json</c>: what an experiment ran and how each variant ended; rewritten after every variant.</summary>
public sealed class ExperimentRecord
{
    /// <summary>The file name in an experiment directory.</summary>
    public const string FileName = "experiment.json";

    /// <summary>The recipe's name.</summary>
    public required string Name { get; init; }

    /// <summary>The recipe file (or embedded recipe) the experiment came from.</summary>
    public required string Recipe { get; init; }

    /// <summary>The metric compared (<c>Experiment:Objective</c>).</summary>
    public required string Objective { get; init; }

    /// <summary>When the experiment started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Seconds from start until the last variant ended (so far).</summary>
    public double DurationSeconds { get; set; }

    /// <summary>The variants, in run order.</summary>
    public required IReadOnlyList<ExperimentVariantRecord> Variants { get; init; }
}
