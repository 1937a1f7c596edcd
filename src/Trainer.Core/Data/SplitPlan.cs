using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Which rows of a source's training examples form each split, known before any example is encoded, so that an
/// encoding fitted on the training rows only (a table's categories and imputation means) can be fitted first. The
/// rows come from seeded permutations drawn in a fixed order: the test rows (when the source has no test split of its
/// own, <c>Data:TestFraction</c>), then the validation rows (<c>Data:ValidationFraction</c>), then a seeded subset of
/// <c>Data:TrainLimit</c> training rows.
/// </summary>
public sealed class SplitPlan : IDisposable
{
    private SplitPlan(Tensor? test, Tensor? validation, Tensor? train)
    {
        Test = test;
        Validation = validation;
        Train = train;
    }

    /// <summary>The test rows (int64 indices), or null when the source has its own test split.</summary>
    public Tensor? Test { get; }

    /// <summary>The validation rows, or null when <c>Data:ValidationFraction</c> is 0.</summary>
    public Tensor? Validation { get; }

    /// <summary>The training rows, or null for every row in its order (the source has its own test split, and nothing is held out).</summary>
    public Tensor? Train { get; }

    /// <summary>The training rows as a list (every row when <see cref="Train"/> is null).</summary>
    public long[] TrainingRows(long count) => Train is null ? [.. Enumerable.Range(0, checked((int)count)).Select(i => (long)i)] : Train.data<long>().ToArray();

    /// <summary>Plans the splits of <paramref name="count"/> examples; throws <see cref="RecipeException"/> for a fraction that leaves a split empty.</summary>
    /// <param name="count">The source's training examples.</param>
    /// <param name="ownTest">Whether the source has a test split of its own (then no test rows are held out).</param>
    /// <param name="options">The recipe's data section (the fractions and the limit).</param>
    /// <param name="seed">Seed of the permutations.</param>
    public static SplitPlan Make(long count, bool ownTest, DataOptions options, int seed)
    {
        using var generator = new Generator((ulong)seed);
        Tensor? test = null, validation = null, train = null;
        try
        {
            if (!ownTest) (test, train) = SplitOff(null, count, options.TestFraction, generator, "Data:TestFraction");
            if (options.ValidationFraction > 0)
            {
                var pool = train;
                (validation, train) = SplitOff(pool, count, options.ValidationFraction, generator, "Data:ValidationFraction");
                pool?.Dispose();
            }
            var trainCount = train?.shape[0] ?? count;
            if (options.TrainLimit is { } limit && limit < trainCount)
            {
                if (limit < 1) throw new RecipeException($"Data:TrainLimit must be at least 1 (got {limit}); leave it out to train on the whole training split.");
                using var order = randperm(trainCount, generator: generator);
                using var keep = order.narrow(0, 0, limit);
                var limited = train is null ? keep.clone() : train.index_select(0, keep);
                train?.Dispose();
                train = limited;
            }
            return new SplitPlan(test, validation, train);
        }
        catch
        {
            test?.Dispose();
            validation?.Dispose();
            train?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Splits <paramref name="rows"/> (null: all <paramref name="count"/> rows in order) by a seeded permutation into
    /// the first <paramref name="fraction"/> of them and the rest, as the pipeline has always split.
    /// </summary>
    private static (Tensor Part, Tensor Remainder) SplitOff(Tensor? rows, long count, double fraction, Generator generator, string field)
    {
        var total = rows?.shape[0] ?? count;
        var part = (long)Math.Round(total * fraction);
        if (part < 1 || part >= total)
            throw new RecipeException($"{field} {fraction} leaves an empty split of the {total} examples; choose a fraction that keeps both parts non-empty.");
        using var order = randperm(total, generator: generator);
        using var partOrder = order.narrow(0, 0, part);
        using var restOrder = order.narrow(0, part, total - part);
        return rows is null ? (partOrder.clone(), restOrder.clone()) : (rows.index_select(0, partOrder), rows.index_select(0, restOrder));
    }

    /// <summary>The rows of <paramref name="data"/> the plan puts in a split (a copy; null rows: <paramref name="data"/> itself).</summary>
    internal static Dataset Rows(Dataset data, Tensor? rows) => rows is null ? data : data.Select(rows);

    /// <inheritdoc />
    public void Dispose()
    {
        Test?.Dispose();
        Validation?.Dispose();
        Train?.Dispose();
    }
}
