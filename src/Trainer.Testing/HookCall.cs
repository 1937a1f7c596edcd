namespace Trainer.Testing;

/// <summary>One hook the harness raised.</summary>
/// <param name="Hook">The hook's method name, e.g. "OnEpochEnd".</param>
/// <param name="Epoch">The epoch (from 1); 0 before the first epoch.</param>
/// <param name="BatchIndex">The batch within the epoch (from 0) for the per-batch hooks, else null.</param>
/// <param name="GlobalStep">Optimizer steps taken before the hook ran.</param>
public readonly record struct HookCall(string Hook, int Epoch, int? BatchIndex, long GlobalStep)
{
    /// <inheritdoc />
    public override string ToString() => BatchIndex is { } b ? $"{Hook}(epoch {Epoch}, batch {b})" : $"{Hook}(epoch {Epoch})";
}
