namespace Trainer.Data;

/// <summary>What a data source loads: its training examples and, when the source defines one, its test split.</summary>
/// <param name="Train">The training examples (validation is split off from these).</param>
/// <param name="Test">The source's own test split, or null to hold out <c>Data:TestFraction</c> of <paramref name="Train"/>.</param>
public sealed record RawData(Dataset Train, Dataset? Test);
