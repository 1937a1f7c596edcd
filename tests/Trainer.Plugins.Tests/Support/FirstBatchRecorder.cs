using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Plugins.Tests.Support;

/// <summary>
/// Keeps, for every epoch, a copy of the first batch (inputs and labels) and of the model's state as that batch's
/// step begins: everything needed to redo the step's forward and backward pass independently.
/// </summary>
public sealed class FirstBatchRecorder : TrainingCallback, IDisposable
{
    /// <summary>The first batch of each epoch and the weights it met, by epoch.</summary>
    public Dictionary<int, (Tensor Inputs, Tensor Targets, Dictionary<string, Tensor> State)> Epochs { get; } = [];

    public override void OnBatchStart(BatchContext context)
    {
        if (context.BatchIndex != 0) return;
        using var noGrad = no_grad();
        Epochs[context.Epoch] = (context.Inputs.detach().clone().DetachFromDisposeScope(), context.Targets.detach().clone().DetachFromDisposeScope(),
            context.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope()));
    }

    public void Dispose()
    {
        foreach (var (inputs, targets, state) in Epochs.Values)
        {
            inputs.Dispose();
            targets.Dispose();
            foreach (var tensor in state.Values) tensor.Dispose();
        }
    }
}
