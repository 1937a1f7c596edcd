using System.Collections;

namespace Trainer.Testing;

/// <summary>
/// Epoch metrics for <see cref="CallbackHarness"/>, one value per epoch from epoch 1, e.g.
/// <c>new ScriptedMetrics { { "val_loss", 1.0, 0.8, 0.88 } }</c>. An epoch past a metric's last value does not log it.
/// </summary>
public sealed class ScriptedMetrics : IEnumerable<KeyValuePair<string, IReadOnlyList<double>>>
{
    private readonly Dictionary<string, double[]> values = new(StringComparer.Ordinal);

    /// <summary>Scripts metric <paramref name="name"/>: <paramref name="perEpoch"/>[0] in epoch 1, and so on; replaces an earlier script of it.</summary>
    public ScriptedMetrics Add(string name, params double[] perEpoch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(perEpoch);
        values[name] = perEpoch.ToArray();
        return this;
    }

    /// <summary>The number of epochs scripted: the longest metric's length (0 when empty).</summary>
    public int Epochs => values.Count == 0 ? 0 : values.Values.Max(v => v.Length);

    /// <summary>The value of <paramref name="name"/> in <paramref name="epoch"/> (from 1), or null when not scripted for that epoch.</summary>
    public double? Get(string name, int epoch) =>
        values.TryGetValue(name, out var v) && epoch >= 1 && epoch <= v.Length ? v[epoch - 1] : null;

    /// <summary>Every metric scripted for <paramref name="epoch"/> (from 1), by name.</summary>
    public IReadOnlyDictionary<string, double> ForEpoch(int epoch) =>
        values.Where(p => epoch >= 1 && epoch <= p.Value.Length).ToDictionary(p => p.Key, p => p.Value[epoch - 1], StringComparer.Ordinal);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, IReadOnlyList<double>>> GetEnumerator() =>
        values.Select(p => KeyValuePair.Create(p.Key, (IReadOnlyList<double>)p.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
