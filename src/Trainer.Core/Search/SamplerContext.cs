namespace Trainer.Search;

/// <summary>What a sampler may look at: the trial being sampled, the study's seed and the trials that finished.</summary>
/// <param name="TrialNumber">The number of the trial being sampled, from 0.</param>
/// <param name="Dimensions">How many hyperparameters the space has.</param>
/// <param name="Seed">The study's seed; the same seed and history give the same point.</param>
/// <param name="Finished">
/// Finished (complete and pruned) trials: their numbers, unit points and objective values; a trial pruned for a non-finite
/// objective has the worst value there is (−∞ when maximising, +∞ when minimising).
/// </param>
/// <param name="Maximize">Whether larger objective values are better.</param>
public sealed record SamplerContext(int TrialNumber, int Dimensions, int Seed, IReadOnlyList<(int Number, double[] Point, double Value)> Finished, bool Maximize)
{
    /// <summary>The numbers of the trials in <see cref="Finished"/> that a pruner stopped early (their value is the last one they reported).</summary>
    public IReadOnlySet<int> Pruned { get; init; } = new HashSet<int>();

    /// <summary>
    /// The last epoch each trial of <see cref="Pruned"/> reported a value for, by number (absent where it reported none), so a
    /// sampler can rank a trial pruned late above one pruned early, as Optuna's TPE does.
    /// </summary>
    public IReadOnlyDictionary<int, int> PrunedAtEpoch { get; init; } = new Dictionary<int, int>();

    /// <summary>The unit points of the trials other workers are training now (or that wait to resume), so a sampler can avoid repeating them.</summary>
    public IReadOnlyList<double[]> Running { get; init; } = [];

    /// <summary>
    /// In a multi-objective study, each trial of <see cref="Finished"/> that completed with every objective finite, by
    /// number: its objective vector in the order of <see cref="ObjectiveMaximize"/>. Null in single-objective studies.
    /// </summary>
    public IReadOnlyDictionary<int, double[]>? ObjectiveValues { get; init; }

    /// <summary>In a multi-objective study, each objective's direction (true: maximise); null in single-objective studies.</summary>
    public IReadOnlyList<bool>? ObjectiveMaximize { get; init; }

    /// <summary>A generator seeded by the study's seed and the trial number (stable across processes and runs).</summary>
    /// <remarks>
    /// The three are mixed with SplitMix64 first: System.Random's seeded generator gives nearly linear first draws for
    /// nearby seeds, so seeding it with seed + trial number would make "random" trials march across the space.
    /// </remarks>
    public Random RandomFor(int salt = 0)
    {
        var mixed = Mix(Mix(Mix((ulong)(uint)Seed) ^ (ulong)(uint)TrialNumber) ^ (ulong)(uint)salt);
        return new Random((int)(mixed >> 33));
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
