using System.Globalization;
using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>
/// What a run will hold in memory, estimated before its first step: the data set's tensors held in memory (a streamed split
/// holds only its prefetched batches) plus the model's parameters, their gradients and the optimizer's state per
/// parameter (Adam and AdamW two moments, RMSprop one square average, momentum one velocity). Activations, which grow with the
/// batch, and libtorch's own workspace are not counted: the estimate is a floor, and a run above the limit cannot fit.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>Bytes of the data set held in memory: every in-memory split's features and labels (a shared tensor once).</summary>
    public static long DataBytes(DataSplits data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var seen = new HashSet<IntPtr>();
        long bytes = 0;
        foreach (var split in new[] { data.Train, data.Validation, data.Test })
        {
            if (split is null || split.Stream is not null) continue;
            foreach (var tensor in new[] { split.Features, split.Labels })
                if (seen.Add(tensor.Handle)) bytes += tensor.NumberOfElements * tensor.ElementSize;
        }
        return bytes;
    }

    /// <summary>Bytes of the model's parameters, their gradients and the state <paramref name="optimizer"/> keeps per trained parameter.</summary>
    public static long ModelBytes(nn.Module<Tensor, Tensor> model, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        long all = 0, trained = 0;
        foreach (var parameter in model.parameters())
        {
            var bytes = parameter.NumberOfElements * parameter.ElementSize;
            all += bytes;
            if (parameter.requires_grad) trained += bytes;
        }
        var states = (optimizer ?? "").Trim().ToLowerInvariant() switch
        {
            "adam" or "adamw" => 2,
            "rmsprop" or "momentum" or "nesterov" => 1,
            _ => 0,
        };
        return all + trained * (1 + states);
    }

    /// <summary>
    /// Refuses the run when <see cref="TrainingOptions.MemoryLimitMB"/> is set and the estimate exceeds it: one message with
    /// both numbers, the parts, and what to change.
    /// </summary>
    /// <exception cref="RecipeException">The estimate exceeds the limit.</exception>
    public static void Check(RecipeOptions recipe, DataSplits data, nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (recipe.Training.MemoryLimitMB <= 0) return;
        var dataBytes = DataBytes(data);
        var modelBytes = ModelBytes(model, recipe.Optimizer.Kind);
        var limit = recipe.Training.MemoryLimitMB * 1048576;
        if (dataBytes + modelBytes <= limit) return;
        static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture);
        var streamHint = data.Loading.StartsWith("memory", StringComparison.Ordinal)
            ? " Let the data stream from disk (Data:Loading auto or stream, where the source can)," : "";
        throw new RecipeException(
            $"This run needs at least {Mb(dataBytes + modelBytes)} MB (data set in memory {Mb(dataBytes)} MB, model with gradients and " +
            $"{recipe.Optimizer.Kind} state {Mb(modelBytes)} MB), more than Training:MemoryLimitMB {recipe.Training.MemoryLimitMB} MB." +
            $"{streamHint} make the model smaller, or allow more memory (trainer agent --memory-max, fewer --slots).");
    }
}
