using static TorchSharp.torch;

namespace Trainer.Plugins.RunningStats;

/// <summary>
/// A bias-corrected exponential moving average of every entry of a model's state (parameters and buffers such as
/// batch-norm running statistics), updated on the device: v_t = β·v_{t−1} + (1 − β)·w_t from v_0 = 0, read as
/// v_t / (1 − β^t), the course's correction, so early averages are not pulled towards 0 (or, started from the initial
/// weights, towards the random initialisation). Integer buffers are copied.
/// </summary>
internal sealed class ModelAverage : IDisposable
{
    private readonly (string Name, Tensor Live, Tensor Average)[] entries;
    // Made once: a double passed to a tensor op becomes a native Scalar per call, left to the finalizer.
    private readonly TorchSharp.Scalar beta;
    private readonly TorchSharp.Scalar weight;
    private readonly double betaValue;
    private Tensor[]? swappedOut;

    public ModelAverage(nn.Module model, double beta)
    {
        betaValue = beta;
        this.beta = beta;
        weight = 1 - beta;
        using var noGrad = no_grad();
        entries = model.state_dict().Select(p => (p.Key, p.Value, p.Value.detach().clone().DetachFromDisposeScope())).ToArray();
        foreach (var (_, live, average) in entries)
            if (live.is_floating_point()) average.zero_();
    }

    /// <summary>β^t after t updates: 1 before the first; the correction divides by 1 − β^t.</summary>
    public double BetaPower { get; private set; } = 1;

    /// <summary>The raw (uncorrected) averages by state name (live references; do not dispose).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Averages => entries.Select(e => KeyValuePair.Create(e.Name, e.Average));

    /// <summary>Overwrites the raw averages with saved ones (by state name) and the β^t they were saved at.</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> saved, double betaPower)
    {
        using var noGrad = no_grad();
        foreach (var (name, _, average) in entries)
            if (saved.TryGetValue(name, out var value)) average.copy_(value);
        BetaPower = betaPower;
    }

    /// <summary>v ← β·v + (1 − β)·w.</summary>
    public void Update()
    {
        using var noGrad = no_grad();
        foreach (var (_, live, average) in entries)
        {
            if (live.is_floating_point()) average.mul_(beta).add_(live, alpha: weight);
            else average.copy_(live);
        }
        BetaPower *= betaValue;
    }

    /// <summary>Puts the corrected average into the model, keeping the live values aside; call again to put them back.</summary>
    public void Swap()
    {
        using var noGrad = no_grad();
        if (swappedOut is null)
        {
            swappedOut = entries.Select(e => e.Live.detach().clone().DetachFromDisposeScope()).ToArray();
            CopyToModel();
            return;
        }
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i].Live.copy_(swappedOut[i]);
            swappedOut[i].Dispose();
        }
        swappedOut = null;
    }

    /// <summary>Loads the corrected averages v_t / (1 − β^t) into the model (the model itself before any update).</summary>
    public void CopyToModel()
    {
        if (BetaPower >= 1) return; // no update yet: nothing has been averaged
        using var noGrad = no_grad();
        using TorchSharp.Scalar correction = 1 - BetaPower; // held across the calls
        foreach (var (_, live, average) in entries)
        {
            live.copy_(average);
            if (live.is_floating_point()) live.div_(correction);
        }
    }

    public void Dispose()
    {
        foreach (var (_, _, average) in entries) average.Dispose();
        foreach (var tensor in swappedOut ?? []) tensor.Dispose();
        beta.Dispose();
        weight.Dispose();
    }
}
