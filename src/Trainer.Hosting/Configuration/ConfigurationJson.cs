using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Trainer.Recipes;

namespace Trainer.Hosting.Configuration;

/// <summary>Writes a configuration tree back to JSON (numbers, booleans and arrays restored), for a run's recipe.json.</summary>
public static class ConfigurationJson
{
    /// <summary>The configuration as indented JSON.</summary>
    public static string ToJson(IConfiguration configuration) =>
        ToNode(configuration.GetChildren()).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>
    /// The recipe as it runs: every <see cref="RecipeOptions"/> value with defaults filled in, the callbacks with their
    /// options as configured, and the other sections (Serilog, …) as configured.
    /// </summary>
    public static string ResolvedRecipe(RecipeOptions recipe, IConfiguration configuration)
    {
        var root = JsonSerializer.SerializeToNode(recipe, ResolvedOptions)!.AsObject();
        var callbacks = configuration.GetSection("Callbacks").GetChildren().ToList();
        root["Callbacks"] = callbacks.Count == 0 ? new JsonArray() : ToNode(callbacks);
        // A plugin model's options are bound by the plugin, not by RecipeOptions: keep them as configured.
        if (configuration.GetSection("Model:Options") is { } modelOptions && modelOptions.Exists() && root["Model"] is JsonObject model)
            model["Options"] = ToNode(modelOptions.GetChildren());
        if (configuration.GetSection("Data:Options") is { } dataOptions && dataOptions.Exists() && root["Data"] is JsonObject data)
            data["Options"] = ToNode(dataOptions.GetChildren());
        foreach (var section in configuration.GetChildren().Where(c => RecipeBinder.OtherSections.Contains(c.Key)))
            root[section.Key] = ToNode(section);
        // A secret never goes to disk (recipe.json, checkpoints) nor out through the API that serves the recipe.
        if (root.FirstOrDefault(p => p.Key.Equals("Serve", StringComparison.OrdinalIgnoreCase)).Value is JsonObject serve)
            foreach (var key in serve.Select(p => p.Key).Where(k => k.Equals("Token", StringComparison.OrdinalIgnoreCase)).ToList())
                serve.Remove(key);
        return root.ToJsonString(ResolvedOptions);
    }

    /// <summary>How a resolved recipe is written.</summary>
    internal static readonly JsonSerializerOptions ResolvedOptions = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static JsonNode ToNode(IEnumerable<IConfigurationSection> children)
    {
        var list = children.ToList();
        var isArray = list.Count > 0 && list.Select(c => int.TryParse(c.Key, out var i) ? i : -1).OrderBy(i => i).SequenceEqual(Enumerable.Range(0, list.Count));
        if (isArray)
            return new JsonArray(list.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(ToNode).ToArray());
        var obj = new JsonObject();
        foreach (var child in list) obj[child.Key] = ToNode(child);
        return obj;
    }

    private static JsonNode? ToNode(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count > 0) return ToNode(children);
        var value = section.Value;
        if (value is null) return null;
        if (bool.TryParse(value, out var flag)) return JsonValue.Create(flag);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            try
            {
                return JsonNode.Parse(value); // keeps the text as written when it is a JSON number
            }
            catch (JsonException)
            {
                return JsonValue.Create(number);
            }
        }
        return JsonValue.Create(value);
    }
}
