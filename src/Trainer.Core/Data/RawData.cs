namespace Trainer.Data;

/// <summary>What a data source loads: its training examples and, when the source defines them, its test and validation splits.</summary>
/// <param name="Train">The training examples (validation is split off from these unless <see cref="Validation"/> is set).</param>
/// <param name="Test">The source's own test split, or null to hold out <c>Data:TestFraction</c> of <paramref name="Train"/>.</param>
public sealed record RawData(Dataset Train, Dataset? Test)
{
    /// <summary>The source's own validation split (e.g. an image folder's <c>val/</c>), used instead of <c>Data:ValidationFraction</c>; or null.</summary>
    public Dataset? Validation { get; init; }

    /// <summary>What the run's log should tell about the load (e.g. files skipped), one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
