using System.Text.Json.Nodes;

namespace Trainer.Hosting.Experiments;

/// <summary>One variant of an experiment: a name, the settings it changes, and the recipe JSON it runs.</summary>
/// <param name="Name">The variant's name, as written in the recipe (grid values appended).</param>
/// <param name="Folder">Its folder name under <c>variants/</c>: the name with path-unsafe characters replaced.</param>
/// <param name="Overrides">The settings it changes, by configuration path (<c>Optimizer:Kind</c>), with their JSON values.</param>
/// <param name="RecipeJson">The base recipe with the overrides applied and the experiment sections removed.</param>
public sealed record ExperimentVariant(string Name, string Folder, IReadOnlyDictionary<string, JsonNode?> Overrides, string RecipeJson)
{
    /// <summary>The name from <c>Variants</c> without grid values (empty for a grid without variants): the lines of a sweep plot.</summary>
    public string Group { get; init; } = "";
}
