namespace Trainer.Data;

/// <summary>What a streaming source opens: its training examples and, when the source defines one, its test split.</summary>
/// <param name="Train">The training examples (validation is split off from these).</param>
/// <param name="Test">The source's own test split, or null to hold out <c>Data:TestFraction</c> of <paramref name="Train"/>.</param>
public sealed record StreamedData(ExampleStore Train, ExampleStore? Test) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test?.Dispose();
    }
}
