using System.Globalization;
using System.Text.Json.Nodes;
using Trainer.Data;
using Trainer.Recipes;

namespace Trainer.Inference;

public sealed partial class TrainedModel
{
    /// <summary>The splits <see cref="ReadSplit"/> reads.</summary>
    public static readonly IReadOnlyList<string> SplitNames = ["test", "validation", "train"];

    /// <summary>
    /// One split of a recipe's data (default: the model's own recipe, so its test split is the one the run tested on), as
    /// the data source delivers it (not standardised; the model's stored preprocessing is applied when it predicts), with
    /// its labels. Throws <see cref="RecipeException"/> for an unknown split, a recipe without it, or a table whose encoding
    /// differs from the model's.
    /// </summary>
    /// <param name="recipe">A recipe's JSON (its Data, Task and Training:Seed are used); null for the model's own.</param>
    /// <param name="split">test, validation or train.</param>
    /// <param name="baseDirectory">The folder relative data paths resolve against; default: the current directory.</param>
    public ExampleInputs ReadSplit(JsonObject? recipe = null, string split = "test", string? baseDirectory = null)
    {
        if (!SplitNames.Contains(split)) throw new RecipeException($"--split '{split}' is not one of: {string.Join(", ", SplitNames)}.");
        recipe ??= Manifest.RecipeJson;
        var where = "the recipe";
        var data = Section<DataOptions>(recipe, "Data", where);
        var task = Section<TaskOptions>(recipe, "Task", where);
        var training = Section<TrainingOptions>(recipe, "Training", where);
        data.Normalize = "none"; // the model's own statistics are applied when it predicts
        data.Loading = "memory";
        data.TrainLimit = null;
        task.StandardizeTarget = false; // targets in their own units: the model's scaling is applied when it is evaluated
        using var splits = DataPipeline.Load(data, baseDirectory ?? Directory.GetCurrentDirectory(), training.Seed, sources, task);
        if (Table is { } schema && splits.Table is { } table && !table.Features.SequenceEqual(schema.Features))
            throw new RecipeException($"The recipe's table encodes to other inputs than the model's ({table.Features.Count} vs {schema.Features.Count}: " +
                                      "other columns or categories); evaluate on a CSV file with --data FILE instead.");
        var chosen = split switch
        {
            "train" => splits.Train,
            "validation" => splits.Validation ?? throw new RecipeException("--split validation: the recipe has no validation split (Data:ValidationFraction is 0)."),
            _ => splits.Test,
        };
        var ids = Enumerable.Range(0, checked((int)chosen.Count)).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        return new ExampleInputs(chosen.Features.clone(), ids, chosen.Labels.clone()) { ClassNames = chosen.ClassNames };
    }
}
