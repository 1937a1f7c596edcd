namespace Trainer.Search;

/// <summary>What a sampler may look at: the trial being sampled, the study's seed and the trials that finished.</summary>
/// <param name="TrialNumber">The number of the trial being sampled, from 0.</param>
/// <param name="Dimensions">How many hyperparameters the space has.</param>
/// <param name="Seed">The study's seed; the same seed and history give the same point.</param>
/// <param name="Finished">Finished trials: their numbers, unit points and objective values.</param>
/// <param name="Maximize">Whether larger objective values are better.</param>
public sealed record SamplerContext(int TrialNumber, int Dimensions, int Seed, IReadOnlyList<(int Number, double[] Point, double Value)> Finished, bool Maximize)
{
    /// <summary>A generator seeded by the study's seed and the trial number (stable across processes and runs).</summary>
    public Random RandomFor(int salt = 0) => new(unchecked(Seed * 1_000_003 + TrialNumber * 7_919 + salt));
}
