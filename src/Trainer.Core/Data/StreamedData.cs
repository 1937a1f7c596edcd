namespace Trainer.Data;

/// <summary>What a streaming source opens: its training examples and, when the source defines them, its test and validation splits.</summary>
/// <param name="Train">The training examples (validation is split off from these).</param>
/// <param name="Test">The source's own test split, or null to hold out <c>Data:TestFraction</c> of <paramref name="Train"/>.</param>
public sealed record StreamedData(ExampleStore Train, ExampleStore? Test) : IDisposable
{
    /// <summary>The source's own validation split, used instead of <c>Data:ValidationFraction</c>; or null.</summary>
    public ExampleStore? Validation { get; init; }

    /// <summary>What the run's log should tell about opening the data (e.g. files skipped), one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test?.Dispose();
        Validation?.Dispose();
    }
}
