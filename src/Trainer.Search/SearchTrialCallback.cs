using Trainer.Callbacks;
using Trainer.Search;

namespace Trainer.Search;

/// <summary>
/// Added to every trial of a search: reports each epoch's objective to the study store (which also refreshes the
/// trial's heartbeat), keeps the trial's best and last value for its score and, with the median pruner, stops a trial whose value is worse than the median of the finished
/// trials at the same epoch (successive halving and <see cref="HyperbandPruner"/> judge it at their rungs). A non-finite
/// objective prunes the trial at once.
/// </summary>
public sealed class SearchTrialCallback(IStudyStore store, SearchSpec spec, int trial) : TrainingCallback
{
    /// <summary>The reason code of a pruned trial's stop request.</summary>
    public const string PrunedReason = "pruned";


    private HyperbandPruner? hyperband;

    /// <summary>The last objective value reported, or null before the first epoch.</summary>
    public double? LastValue { get; private set; }

    /// <summary>The best finite objective value of any epoch (in the study's direction), or null before the first.</summary>
    public double? BestValue { get; private set; }

    /// <summary>The trial's score by <see cref="SearchSpec.Score"/>: its best or its last value.</summary>
    public double? Score => spec.Score == "last" ? LastValue : BestValue;

    /// <summary>
    /// In a multi-objective study, every objective's value at the epoch <see cref="SearchSpec.Score"/> chooses (the last,
    /// or the best by the first objective); null otherwise or before the first epoch.
    /// </summary>
    public double[]? ScoreValues => spec.Score == "last" ? lastValues : bestValues;

    private double[]? lastValues, bestValues;

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        var vector = spec.IsMultiObjective ? SearchObjectives.Read(context, spec.Objectives) : null;
        var value = vector?[0] ?? context.RequireMetric(spec.Objective, "Search:Objective");
        (LastValue, lastValues) = (value, vector);
        if (double.IsFinite(value) && (BestValue is not { } best || (spec.Maximize ? value > best : value < best))) (BestValue, bestValues) = (value, vector);
        if (!double.IsFinite(value))
        {
            context.RequestStop(PrunedReason, $"{spec.Objective} is {value} at epoch {context.Epoch}");
            return;
        }
        store.Report(spec.Study, trial, context.Epoch, value);
        if (spec.Pruner == "SuccessiveHalving")
        {
            SuccessiveHalving(context, value);
            return;
        }
        if (spec.Pruner == "Hyperband")
        {
            hyperband ??= new HyperbandPruner(store, spec);
            if (hyperband.Judge(trial, context.Epoch, value) is { } reason) context.RequestStop(PrunedReason, $"{spec.Objective} = {value:G6} {reason}");
            return;
        }
        if (spec.Pruner != "Median" || context.Epoch <= spec.WarmupEpochs) return; // epochs count from 1: the first W are never pruned

        var others = store.ValuesAt(spec.Study, context.Epoch, trial);
        if (others.Count < spec.MinTrials) return;
        var sorted = others.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        var worse = spec.Maximize ? value < median : value > median;
        if (worse)
            context.RequestStop(PrunedReason, $"{spec.Objective} = {value:G6} at epoch {context.Epoch} is worse than the median {median:G6} of {others.Count} finished trials");
    }

    /// <summary>Asynchronous successive halving: at rung epochs MinEpochs·η^k, go on only when among the best 1/η of every trial that reached the rung.</summary>
    private void SuccessiveHalving(EpochContext context, double value)
    {
        long rung = spec.MinEpochs;
        while (rung < context.Epoch) rung *= spec.ReductionFactor;
        if (rung != context.Epoch) return;
        var all = store.ValuesAt(spec.Study, context.Epoch, trial, includeUnfinished: true).Append(value).ToList();
        var keep = Math.Max(1, all.Count / spec.ReductionFactor);
        var rank = all.Count(v => spec.Maximize ? v > value : v < value);
        if (rank >= keep)
            context.RequestStop(PrunedReason, $"{spec.Objective} = {value:G6} at rung epoch {context.Epoch} is not in the best {keep} of {all.Count} trials there");
    }
}
