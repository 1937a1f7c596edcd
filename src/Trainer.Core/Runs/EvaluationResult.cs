namespace Trainer.Runs;

/// <summary>What <c>trainer evaluate</c> measured: the contents of <c>evaluation.json</c> (<see cref="EvaluationFile"/>).</summary>
public sealed record EvaluationResult
{
    /// <summary>The model that was evaluated: the path of its package, run directory or checkpoint.</summary>
    public string Model { get; init; } = "";

    /// <summary>What it was evaluated on, in words (e.g. "fashion-mnist test split, 10000 examples").</summary>
    public string Data { get; init; } = "";

    /// <summary>The number of examples evaluated.</summary>
    public long Examples { get; init; }

    /// <summary>The mean loss over the examples; NaN (null in the file) when unknown.</summary>
    public double Loss { get; init; } = double.NaN;

    /// <summary>The task's metrics by name (e.g. accuracy, rmse).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The per-class report and confusion matrix of a classifier; null for regression.</summary>
    public EvaluationClassification? Classification { get; init; }

    /// <summary>When the evaluation was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
