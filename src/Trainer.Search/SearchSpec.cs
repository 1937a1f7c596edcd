using Trainer.Search;

namespace Trainer.Search;

/// <summary>A recipe's <c>Search</c> section, parsed and validated.</summary>
public sealed class SearchSpec
{
    /// <summary>The study's name (default: the recipe's name).</summary>
    public required string Study { get; init; }

    /// <summary>The metric to optimise, e.g. "val_accuracy".</summary>
    public required string Objective { get; init; }

    /// <summary>True to maximise the objective.</summary>
    public required bool Maximize { get; init; }

    /// <summary>
    /// A multi-objective study's objectives (<c>Search:Objectives</c>, two or more; <see cref="Objective"/> and
    /// <see cref="Maximize"/> are the first's); empty for a single-objective study.
    /// </summary>
    public IReadOnlyList<StudyObjective> Objectives { get; init; } = [];

    /// <summary>True when the study has several objectives (<see cref="Objectives"/>).</summary>
    public bool IsMultiObjective => Objectives.Count > 1;

    /// <summary>
    /// How a trial is scored: <c>best</c> (the best epoch's objective, the value that goes with the weights a trial keeps
    /// when early stopping restores them) or <c>last</c> (the last epoch's). Pruning always judges the running values.
    /// </summary>
    public string Score { get; init; } = "best";

    /// <summary>The study's budget of finished (complete or pruned) trials.</summary>
    public required int Trials { get; init; }

    /// <summary>The study's seed (default: the recipe's Training:Seed).</summary>
    public required int Seed { get; init; }

    /// <summary>The hyperparameters, in the order of the recipe.</summary>
    public required IReadOnlyList<(string Path, IDistribution Distribution)> Space { get; init; }

    /// <summary>The sampler that chooses each trial's point.</summary>
    public required ISampler Sampler { get; init; }

    /// <summary>The pruner's name ("None", "Median", "SuccessiveHalving", "Hyperband").</summary>
    public required string Pruner { get; init; }

    /// <summary>Median pruner: epochs before pruning starts.</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Median pruner: finished trials needed at an epoch before it prunes there.</summary>
    public int MinTrials { get; init; } = 1;

    /// <summary>Successive halving: the first rung's epoch; rungs follow at MinEpochs·η^k. Hyperband: the minimum resource r.</summary>
    public int MinEpochs { get; init; } = 1;

    /// <summary>Successive halving and Hyperband: η, only the best 1/η of the trials at a rung go on.</summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>Hyperband: the maximum resource R in epochs (default: the recipe's Training:Epochs).</summary>
    public int MaxEpochs { get; init; } = 1;

    /// <summary>The space as canonical JSON (to recognise the same study on resume).</summary>
    public string SpaceJson => System.Text.Json.JsonSerializer.Serialize(Space.Select(d => new
    {
        d.Path, Distribution = d.Distribution.GetType().Name, Settings = System.Text.Json.JsonSerializer.SerializeToElement(d.Distribution, d.Distribution.GetType()),
    }));

    /// <summary>How long a running trial may go without reporting an epoch before it counts as abandoned (its worker died).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The study stops taking trials once this many have failed (so an always-invalid space cannot loop forever).</summary>
    public int MaxFailures { get; init; } = 10;
}
