using System.Text.Json.Nodes;

namespace Trainer.Hosting.Experiments;

/// <summary>One variant's line in <c>experiment.json</c>.</summary>
public sealed class ExperimentVariantRecord
{
    /// <summary>Status of a variant that has not run yet.</summary>
    public const string Pending = "pending";

    /// <summary>Status of a variant left out because the experiment was interrupted before it.</summary>
    public const string NotRun = "not-run";

    /// <summary>The variant's name.</summary>
    public required string Name { get; init; }

    /// <summary>The settings it changes, by configuration path.</summary>
    public required IReadOnlyDictionary<string, JsonNode?> Overrides { get; init; }

    /// <summary>Its run directory, relative to the experiment directory (<c>variants/NAME</c>).</summary>
    public required string Directory { get; init; }

    /// <summary><c>pending</c>, <c>not-run</c>, or the run's status: <c>completed</c>, <c>stopped-early</c>, <c>failed</c>, <c>interrupted</c>.</summary>
    public string Status { get; set; } = Pending;

    /// <summary>The run's exit code; null until it ran.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Epochs completed.</summary>
    public int Epochs { get; set; }

    /// <summary>The epoch whose weights the run kept (early stopping), if any.</summary>
    public int? BestEpoch { get; set; }

    /// <summary>The best value of the experiment's objective over the epochs, and its epoch.</summary>
    public double? BestObjective { get; set; }

    /// <summary>The epoch of <see cref="BestObjective"/>.</summary>
    public int? BestObjectiveEpoch { get; set; }

    /// <summary>Seconds the run took.</summary>
    public double DurationSeconds { get; set; }

    /// <summary>Why the run failed, if it did (for example the step where the loss became NaN).</summary>
    public string? Error { get; set; }

    /// <summary>The run's final metrics (last epoch's, and test metrics).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; set; } = new Dictionary<string, double>();
}
