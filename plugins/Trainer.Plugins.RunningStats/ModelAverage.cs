using static TorchSharp.torch;

namespace Trainer.Plugins.RunningStats;

/// <summary>
/// An exponential moving average of every entry of a model's state (parameters and buffers such as batch-norm
/// running statistics), started from the initial weights and updated on the device. Integer buffers are copied.
/// </summary>
internal sealed class ModelAverage : IDisposable
{
    private readonly (string Name, Tensor Live, Tensor Average)[] entries;
    // Made once: a double passed to a tensor op becomes a native Scalar per call, left to the finalizer.
    private readonly TorchSharp.Scalar beta;
    private readonly TorchSharp.Scalar weight;

    public ModelAverage(nn.Module model, double beta)
    {
        this.beta = beta;
        weight = 1 - beta;
        using var noGrad = no_grad();
        entries = model.state_dict().Select(p => (p.Key, p.Value, p.Value.detach().clone().DetachFromDisposeScope())).ToArray();
    }

    /// <summary>The averaged tensors by state name (live references; do not dispose).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Averages => entries.Select(e => KeyValuePair.Create(e.Name, e.Average));

    /// <summary>Overwrites the averages with saved ones (by state name).</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> saved)
    {
        using var noGrad = no_grad();
        foreach (var (name, _, average) in entries)
            if (saved.TryGetValue(name, out var value)) average.copy_(value);
    }

    /// <summary>average ← β·average + (1 − β)·live.</summary>
    public void Update()
    {
        using var noGrad = no_grad();
        foreach (var (_, live, average) in entries)
        {
            if (live.is_floating_point()) average.mul_(beta).add_(live, alpha: weight);
            else average.copy_(live);
        }
    }

    /// <summary>Exchanges the live and averaged values (call twice to undo).</summary>
    public void Swap()
    {
        using var noGrad = no_grad();
        foreach (var (_, live, average) in entries)
        {
            using var scratch = live.clone();
            live.copy_(average);
            average.copy_(scratch);
        }
    }

    /// <summary>Loads the averaged values into the model.</summary>
    public void CopyToModel()
    {
        using var noGrad = no_grad();
        foreach (var (_, live, average) in entries) live.copy_(average);
    }

    public void Dispose()
    {
        foreach (var (_, _, average) in entries) average.Dispose();
        beta.Dispose();
        weight.Dispose();
    }
}
