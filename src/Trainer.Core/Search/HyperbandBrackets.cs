using System.Text;

namespace Trainer.Search;

/// <summary>
/// The brackets of Hyperband as Optuna's <c>HyperbandPruner</c> lays them out: floor(log_η(max/min)) + 1 brackets;
/// bracket b runs successive halving with minimum early-stopping rate b (its first rung at min·η^b epochs); its share
/// of the trials is ceil(n·η^s / (s + 1)) with s = n − 1 − b; a trial's bracket follows from CRC-32 of
/// "<c>study</c>_<c>number</c>" modulo the total of the shares, so every worker agrees without storing it.
/// </summary>
public sealed class HyperbandBrackets
{
    private readonly int[] budgets;

    /// <summary>Lays out the brackets; throws <see cref="ArgumentOutOfRangeException"/> unless 1 ≤ min ≤ max and η ≥ 2.</summary>
    /// <param name="minEpochs">The minimum resource r: the first rung of the most aggressive bracket.</param>
    /// <param name="maxEpochs">The maximum resource R: the epochs a trial trains at most.</param>
    /// <param name="reductionFactor">η: a rung keeps the best 1/η of the trials of its bracket.</param>
    public HyperbandBrackets(int minEpochs, int maxEpochs, int reductionFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpochs, minEpochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        (MinEpochs, MaxEpochs, ReductionFactor) = (minEpochs, maxEpochs, reductionFactor);
        // floor(log_η(max/min)) + 1 in whole numbers: the largest s with min·η^s ≤ max, plus one (no rounding of a float logarithm).
        var count = 1;
        for (long resource = (long)minEpochs * reductionFactor; resource <= maxEpochs; resource *= reductionFactor) count++;
        Count = count;
        budgets = new int[count];
        for (var bracket = 0; bracket < count; bracket++)
        {
            var s = count - 1 - bracket;
            var numerator = count * (long)Math.Pow(reductionFactor, s);
            budgets[bracket] = (int)((numerator + s) / (s + 1)); // ceil(n·η^s / (s + 1))
        }
        TotalBudget = budgets.Sum();
    }

    /// <summary>The minimum resource r in epochs.</summary>
    public int MinEpochs { get; }

    /// <summary>The maximum resource R in epochs.</summary>
    public int MaxEpochs { get; }

    /// <summary>The reduction factor η.</summary>
    public int ReductionFactor { get; }

    /// <summary>The number of brackets, floor(log_η(max/min)) + 1.</summary>
    public int Count { get; }

    /// <summary>Each bracket's trial-allocation budget (its relative share of the trials), by bracket.</summary>
    public IReadOnlyList<int> Budgets => budgets;

    /// <summary>The sum of the budgets: a trial's hash is taken modulo this.</summary>
    public int TotalBudget { get; }

    /// <summary>The bracket of trial <paramref name="number"/> of <paramref name="study"/>, as Optuna assigns it (CRC-32 of "study_number").</summary>
    public int BracketOf(string study, int number)
    {
        var n = (long)(Crc32(Encoding.UTF8.GetBytes($"{study}_{number}")) % (uint)TotalBudget);
        for (var bracket = 0; bracket < Count; bracket++)
        {
            n -= budgets[bracket];
            if (n < 0) return bracket;
        }
        throw new InvalidOperationException("unreachable: the hash is below the total budget");
    }

    /// <summary>
    /// The rung epochs of <paramref name="bracket"/>: min·η^(bracket + k) for k = 0, 1, … below <see cref="MaxEpochs"/>.
    /// A trial that reaches MaxEpochs has spent its whole budget, so it is not judged there (the last bracket never prunes).
    /// </summary>
    public IReadOnlyList<int> Rungs(int bracket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bracket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bracket, Count);
        var rungs = new List<int>();
        for (var rung = MinEpochs * (long)Math.Pow(ReductionFactor, bracket); rung < MaxEpochs; rung *= ReductionFactor) rungs.Add((int)rung);
        return rungs;
    }

    /// <summary>CRC-32 (IEEE 802.3, as zlib's and Python's <c>binascii.crc32</c>) of <paramref name="bytes"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
