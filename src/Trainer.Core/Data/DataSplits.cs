namespace Trainer.Data;

/// <summary>The training, validation and test splits of one run.</summary>
/// <param name="Train">Examples the model learns from.</param>
/// <param name="Validation">Held-out examples evaluated every epoch; null when <c>Data:ValidationFraction</c> is 0.</param>
/// <param name="Test">Examples evaluated once, after training.</param>
/// <param name="Normalization">The standardisation fitted on <paramref name="Train"/>, or null when disabled.</param>
public sealed record DataSplits(Dataset Train, Dataset? Validation, Dataset Test, Standardizer? Normalization) : IDisposable
{
    /// <summary>Which data path the splits take (<c>memory</c> or <c>stream</c>) and why, for the log.</summary>
    public string Loading { get; init; } = "memory";

    /// <summary>On the streaming path, the stores the splits read from (owned and disposed with the splits); else null.</summary>
    public StreamedData? Streamed { get; init; }

    /// <summary>Regression: the targets' standardisation fitted on <see cref="Train"/> (the splits' targets are standardised), or null.</summary>
    public Tasks.TargetScaling? TargetScaling { get; init; }

    /// <summary>What the run's log should tell about loading the data (e.g. image files skipped), one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>What the table's encoding fitted on the training rows (columns, categories, imputation means); null for data that is not a table.</summary>
    public TableSchema? Table { get; init; }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        Test.Dispose();
        Normalization?.Dispose();
        Train.Stream?.Dispose();
        Validation?.Stream?.Dispose();
        Test.Stream?.Dispose();
        Streamed?.Dispose();
    }
}
