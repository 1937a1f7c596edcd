namespace Trainer.Search;

/// <summary>
/// Hyperband as Optuna's <c>HyperbandPruner</c>: each trial belongs to one bracket of <see cref="HyperbandBrackets"/> and
/// is judged by asynchronous successive halving against the trials of its own bracket only: at each of its bracket's rung
/// epochs it goes on only when among the best max(1, ⌊n/η⌋) of the n trials of the bracket that reached the rung
/// (complete, pruned or running; ties favour it).
/// </summary>
public sealed class HyperbandPruner(IStudyStore store, string study, bool maximize, HyperbandBrackets brackets)
{
    /// <summary>A pruner for the spec's study with its MinEpochs, MaxEpochs and ReductionFactor.</summary>
    public HyperbandPruner(IStudyStore store, SearchSpec spec)
        : this(store, spec.Study, spec.Maximize, new HyperbandBrackets(spec.MinEpochs, spec.MaxEpochs, spec.ReductionFactor)) { }

    /// <summary>The brackets the trials are spread over.</summary>
    public HyperbandBrackets Brackets => brackets;

    /// <summary>
    /// Judges trial <paramref name="trial"/>'s <paramref name="value"/> at <paramref name="epoch"/> (already reported to
    /// the store): null to go on, else why it is pruned ("is not in the best k of n trials of bracket b at rung epoch e").
    /// </summary>
    public string? Judge(int trial, int epoch, double value)
    {
        var bracket = brackets.BracketOf(study, trial);
        if (!brackets.Rungs(bracket).Contains(epoch)) return null;
        var peers = store.Trials(study)
            .Where(t => t.Number != trial && t.State is TrialState.Complete or TrialState.Pruned or TrialState.Running && brackets.BracketOf(study, t.Number) == bracket)
            .Select(t => t.Number).ToHashSet();
        var all = store.ReportedValues(study).Where(r => peers.Contains(r.Key))
            .SelectMany(r => r.Value.Where(v => v.Epoch == epoch).Select(v => v.Value)).Append(value).ToList();
        var keep = Math.Max(1, all.Count / brackets.ReductionFactor);
        var rank = all.Count(v => maximize ? v > value : v < value);
        return rank >= keep ? $"is not in the best {keep} of {all.Count} trials of bracket {bracket} at rung epoch {epoch}" : null;
    }
}
