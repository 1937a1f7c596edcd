using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Plugins.Tests.Support;

/// <summary>Keeps a copy of the model's state (parameters and buffers) at the end of every epoch.</summary>
public sealed class WeightRecorder : TrainingCallback, IDisposable
{
    public List<Dictionary<string, Tensor>> Epochs { get; } = [];

    public override void OnEpochEnd(EpochContext context)
    {
        using var noGrad = no_grad();
        Epochs.Add(context.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope()));
    }

    /// <summary>Same keys, shapes, dtypes and exactly equal values.</summary>
    public static bool BitwiseEqual(Dictionary<string, Tensor> a, IDictionary<string, Tensor> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && p.Value.dtype == other.dtype &&
                                          p.Value.shape.SequenceEqual(other.shape) && p.Value.eq(other).all().item<bool>());

    public void Dispose()
    {
        foreach (var tensor in Epochs.SelectMany(e => e.Values)) tensor.Dispose();
    }
}
