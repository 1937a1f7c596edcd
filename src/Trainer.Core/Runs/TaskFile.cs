using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Tasks;

namespace Trainer.Runs;

/// <summary>
/// Writes <c>task.json</c>: what the run's model predicts — the task's kind, loss, metrics, number of outputs, threshold,
/// class names, and for regression the target's standardisation (μ and σ per target) — so its outputs can be read
/// without the recipe.
/// </summary>
public static class TaskFile
{
    /// <summary>The file name inside a run directory.</summary>
    public const string FileName = RunFiles.Task;

    /// <summary>Writes <paramref name="task"/> into <paramref name="runDirectory"/>.</summary>
    public static void Write(string runDirectory, TrainingTask task)
    {
        var path = Path.Combine(runDirectory, FileName);
        File.WriteAllText(path + ".tmp", ToJson(task).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The file's content for <paramref name="task"/>, as a model manifest embeds it.</summary>
    public static JsonObject ToJson(TrainingTask task)
    {
        return new JsonObject
        {
            ["kind"] = TaskKinds.Name(task.Kind),
            ["loss"] = task.Loss.Name,
            ["metrics"] = new JsonArray(task.Metrics.Select(m => (JsonNode)m.Name).ToArray()),
            ["outputs"] = task.Outputs,
            ["threshold"] = task.Kind is TaskKind.Binary or TaskKind.Multilabel ? task.Threshold : null,
            ["classNames"] = task.ClassNames is { } names ? new JsonArray(names.Select(n => (JsonNode)n).ToArray()) : null,
            ["targetScaling"] = task.TargetScaling is not { } scaling ? null : new JsonObject
            {
                ["mean"] = new JsonArray(scaling.Mean.Select(v => (JsonNode)v).ToArray()),
                ["std"] = new JsonArray(scaling.StandardDeviation.Select(v => (JsonNode)v).ToArray()),
            },
        };
    }
}
