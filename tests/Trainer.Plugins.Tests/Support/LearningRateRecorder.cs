using Trainer.Callbacks;

namespace Trainer.Plugins.Tests.Support;

/// <summary>Records the learning rate each step trains at (read before the forward pass).</summary>
public sealed class LearningRateRecorder : TrainingCallback
{
    public List<double> Steps { get; } = [];

    public override void OnBatchStart(BatchContext context) => Steps.Add(context.LearningRate);
}
