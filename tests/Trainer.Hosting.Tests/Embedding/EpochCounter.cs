namespace Trainer.Hosting.Tests.Embedding;

/// <summary>An application service a DI-built callback depends on.</summary>
internal sealed class EpochCounter
{
    public List<int> Epochs { get; } = [];
}
