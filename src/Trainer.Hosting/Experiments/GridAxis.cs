using System.Text.Json.Nodes;

namespace Trainer.Hosting.Experiments;

/// <summary>One axis of <c>Experiment:Grid</c>: a configuration path and the values it takes.</summary>
/// <param name="Path">The configuration path, e.g. <c>Optimizer:LearningRate</c>.</param>
/// <param name="Values">The values, in the recipe's order.</param>
public sealed record GridAxis(string Path, IReadOnlyList<JsonNode?> Values)
{
    /// <summary>The last segment of the path, used in variant names (<c>LearningRate=0.1</c>).</summary>
    public string ShortName => Path.Split(':')[^1];

    /// <summary>Whether every value is a number.</summary>
    public bool IsNumeric => Values.All(v => v is JsonValue value && value.TryGetValue<double>(out _));
}
