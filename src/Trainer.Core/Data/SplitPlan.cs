using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>Which of a source's training examples each split holds (int64 indices), as <see cref="DataPipeline"/> draws them.</summary>
/// <param name="Test">The test split's indices; null when the source has its own test split.</param>
/// <param name="Validation">The validation split's indices; null without one.</param>
/// <param name="Train">The training split's indices; null for all of the source's training examples.</param>
internal sealed record SplitPlan(Tensor? Test, Tensor? Validation, Tensor? Train) : IDisposable
{
    public void Dispose()
    {
        Test?.Dispose();
        Validation?.Dispose();
        Train?.Dispose();
    }
}
