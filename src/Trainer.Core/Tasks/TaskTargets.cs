using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// Converts what a source loaded as targets (int64 classes, float32 numbers) into what <c>Task:Kind</c> trains on, or says
/// in one line why the data does not fit the task.
/// </summary>
public static class TaskTargets
{
    /// <summary>
    /// The targets of <paramref name="data"/> as <paramref name="kind"/> needs them: int64 classes [N] (classification),
    /// float32 [N, T] (regression), float32 0/1 [N, 1] (binary), float32 0/1 [N, C] (multilabel). Takes ownership of
    /// <paramref name="data"/> and returns it or a replacement; throws <see cref="RecipeException"/> (disposing it).
    /// </summary>
    /// <param name="data">A split as the source loaded it.</param>
    /// <param name="kind">The task.</param>
    /// <param name="source">The data source's name, for messages.</param>
    public static Dataset Convert(Dataset data, TaskKind kind, string source)
    {
        try
        {
            return kind switch
            {
                TaskKind.Classification => Classes(data, source),
                TaskKind.Regression => Numbers(data, source),
                TaskKind.Binary => Binary(data, source),
                _ => Multilabel(data, source),
            };
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>How many outputs the model needs for <paramref name="kind"/> on converted <paramref name="train"/> targets.</summary>
    public static int Outputs(Dataset train, TaskKind kind) =>
        kind == TaskKind.Classification ? train.ClassCount : (int)(train.Labels.dim() > 1 ? train.Labels.shape[1] : 1);

    private static Dataset Classes(Dataset data, string source)
    {
        if (data.Labels.dtype == ScalarType.Int64) return data;
        if (data.Labels.dim() > 1 && data.Labels.shape[1] > 1)
            throw new RecipeException($"Task:Kind 'classification' needs one class per example; Data:Source '{source}' gives {data.Labels.shape[1]} " +
                                      "targets per example. Use Task:Kind 'multilabel' or 'regression'.");
        using var values = data.Labels.flatten().to_type(ScalarType.Float64).cpu();
        var numbers = values.data<double>().ToArray();
        var bad = Array.FindIndex(numbers, v => !double.IsFinite(v) || v < 0 || v != Math.Floor(v));
        if (bad >= 0)
            throw new RecipeException($"Task:Kind 'classification' needs class labels (0, 1, 2, … or names); Data:Source '{source}' has the target " +
                                      $"{numbers[bad]} (example {bad}). Use Task:Kind 'regression' to predict a number.");
        var classes = numbers.Length == 0 ? 0 : (int)numbers.Max() + 1;
        return Replace(data, tensor(numbers.Select(v => (long)v).ToArray(), ScalarType.Int64, data.Labels.device), classes);
    }

    private static Dataset Numbers(Dataset data, string source)
    {
        if (data.ClassNames is { Count: > 0 } names)
            throw new RecipeException($"Task:Kind 'regression' needs a numeric target; Data:Source '{source}' gives classes " +
                                      $"({string.Join(", ", names.Take(5))}{(names.Count > 5 ? ", …" : "")}). Use Task:Kind 'classification' or 'binary'.");
        var labels = data.Labels.to_type(ScalarType.Float32);
        if (labels.dim() == 1) labels = labels.unsqueeze(1);
        return Replace(data, labels, 0);
    }

    private static Dataset Binary(Dataset data, string source)
    {
        if (data.Labels.dim() > 1 && data.Labels.shape[1] > 1)
            throw new RecipeException($"Task:Kind 'binary' needs one yes/no target per example; Data:Source '{source}' gives {data.Labels.shape[1]}. " +
                                      "Use Task:Kind 'multilabel'.");
        using var values = data.Labels.flatten().to_type(ScalarType.Float64).cpu();
        var numbers = values.data<double>().ToArray();
        var distinct = numbers.Distinct().Order().ToArray();
        if (data.ClassCount > 2 || distinct.Any(v => v is not (0 or 1)))
        {
            var shown = data.ClassNames is { } names ? string.Join(", ", names.Take(5)) : string.Join(", ", distinct.Take(5));
            throw new RecipeException($"Task:Kind 'binary' needs two classes (0 and 1, or two names); Data:Source '{source}' has " +
                                      $"{Math.Max(data.ClassCount, distinct.Length)} ({shown}). Use Task:Kind 'classification'.");
        }
        var labels = tensor(numbers.Select(v => (float)v).ToArray(), ScalarType.Float32, data.Labels.device).unsqueeze(1);
        return Replace(data, labels, 2);
    }

    private static Dataset Multilabel(Dataset data, string source)
    {
        if (data.Labels.dim() != 2 || data.Labels.dtype == ScalarType.Int64)
            throw new RecipeException($"Task:Kind 'multilabel' needs a 0/1 value per label for every example; Data:Source '{source}' gives one " +
                                      "class per example. Use Task:Kind 'classification'.");
        using var ok = data.Labels.eq(0).logical_or(data.Labels.eq(1)).all();
        if (!ok.item<bool>())
            throw new RecipeException($"Task:Kind 'multilabel' needs targets of 0 or 1; Data:Source '{source}' has other values. Use Task:Kind 'regression'.");
        return Replace(data, data.Labels.to_type(ScalarType.Float32), (int)data.Labels.shape[1]);
    }

    private static Dataset Replace(Dataset data, Tensor labels, int classCount)
    {
        if (ReferenceEquals(labels, data.Labels) || labels.Handle == data.Labels.Handle)
            return new Dataset(data.Features, labels, classCount) { ClassNames = data.ClassNames };
        var replaced = new Dataset(data.Features, labels, classCount) { ClassNames = data.ClassNames };
        data.Labels.Dispose();
        return replaced;
    }
}
