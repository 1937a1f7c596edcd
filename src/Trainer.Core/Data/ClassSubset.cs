using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Classes</c>: keeps the examples of some classes of a class-labelled data set and relabels them 0..k-1 in the
/// order given, their names following, e.g. [0, 9] makes class 0 stay 0 and class 9 become 1.
/// </summary>
internal static class ClassSubset
{
    /// <summary>Every split of <paramref name="raw"/> cut down to <paramref name="classes"/>; the splits given are disposed.</summary>
    public static RawData Keep(RawData raw, int[] classes, string source)
    {
        try
        {
            var train = Keep(raw.Train, raw.Train.ClassCount, classes, source);
            var test = raw.Test is null ? null : Keep(raw.Test, raw.Train.ClassCount, classes, source);
            var validation = raw.Validation is null ? null : Keep(raw.Validation, raw.Train.ClassCount, classes, source);
            return raw with { Train = train, Test = test, Validation = validation };
        }
        finally
        {
            raw.Train.Dispose();
            raw.Test?.Dispose();
            raw.Validation?.Dispose();
        }
    }

    private static Dataset Keep(Dataset data, int classCount, int[] classes, string source)
    {
        if (classCount == 0 || data.Labels.dtype != ScalarType.Int64 || data.Labels.ndim != 1)
            throw new RecipeException($"Data:Classes keeps classes of class-labelled data, but Data:Source '{source}' gives numeric targets; remove Data:Classes.");
        for (var i = 0; i < classes.Length; i++)
            if (classes[i] >= classCount)
                throw new RecipeException($"Data:Classes:{i} is {classes[i]}, but Data:Source '{source}' has classes 0 to {classCount - 1}.");
        using var scope = NewDisposeScope();
        var size = data.Count == 0 ? classCount : Math.Max(classCount, data.Labels.max().item<long>() + 1);
        var table = Enumerable.Repeat(-1L, checked((int)size)).ToArray();
        for (var i = 0; i < classes.Length; i++) table[classes[i]] = i;
        var map = tensor(table);
        var relabelled = map.index_select(0, data.Labels);
        var rows = relabelled.ge(0).nonzero().squeeze(1);
        var kept = new Dataset(data.Features.index_select(0, rows).MoveToOuterDisposeScope(), relabelled.index_select(0, rows).MoveToOuterDisposeScope(),
            classes.Length) { ClassNames = data.ClassNames is { } names ? classes.Select(c => names[c]).ToList() : null };
        return kept;
    }
}
