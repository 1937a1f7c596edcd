namespace Trainer.Serving.Api;

/// <summary>The best epoch so far by <paramref name="Metric"/> (val_loss, else train_loss, lowest).</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Metric">The metric it is best by.</param>
/// <param name="Value">Its value in that epoch.</param>
public sealed record BestEpoch(int Epoch, string Metric, double? Value)
{
    /// <summary>
    /// The best of <paramref name="rows"/>: the <paramref name="reported"/> epoch when a callback named one (early
    /// stopping), else the lowest val_loss, or train_loss when no epoch has a validation loss; null without rows.
    /// </summary>
    public static BestEpoch? Of(IReadOnlyList<EpochRow> rows, int? reported = null)
    {
        var metric = rows.Any(r => r.Values.GetValueOrDefault("val_loss") is not null) ? "val_loss" : "train_loss";
        var row = reported is { } epoch
            ? rows.FirstOrDefault(r => r.Epoch == epoch)
            : rows.Where(r => r.Values.GetValueOrDefault(metric) is not null).MinBy(r => r.Values[metric]);
        return row is null ? null : new BestEpoch(row.Epoch, metric, row.Values.GetValueOrDefault(metric));
    }
}
