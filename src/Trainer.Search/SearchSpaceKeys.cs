using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;

namespace Trainer.Search;

/// <summary>
/// Checks, before the first trial, that every search-space key names something a trial can set: a recipe setting
/// (<c>Optimizer:LearningRate</c>, <c>Model:Hidden:0</c>), an option of a callback in the recipe
/// (<c>Callbacks:1:Options:Patience</c>), of the plugin model (<c>Model:Options:Width</c>) or of the plugin data source
/// (<c>Data:Options:Seed</c>). A misspelt key would
/// otherwise fail every trial the same way.
/// </summary>
public static class SearchSpaceKeys
{
    /// <summary>One message per key that names nothing a trial can set.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<string> keys, IConfiguration configuration, PluginCatalog? plugins)
    {
        var problems = new List<string>();
        foreach (var key in keys)
            if (Problem(key.Split(':'), configuration, plugins) is { } problem) problems.Add($"Search:Space key '{key}' {problem}");
        return problems;
    }

    private static string? Problem(string[] segments, IConfiguration configuration, PluginCatalog? plugins)
    {
        if (segments[0].Equals("Callbacks", StringComparison.OrdinalIgnoreCase)) return CallbackOption(segments, configuration, plugins);
        if (segments.Length >= 2 && segments[0].Equals("Model", StringComparison.OrdinalIgnoreCase) && segments[1].Equals("Options", StringComparison.OrdinalIgnoreCase))
        {
            var typeName = configuration["Model:Type"];
            var model = plugins?.Models.FirstOrDefault(m => m.Name.Equals(typeName, StringComparison.OrdinalIgnoreCase));
            if (model?.OptionsType is null)
                return typeName is null ? "names a plugin model's option, and the recipe has no Model:Type." : $"names an option, and the model '{typeName}' takes none.";
            return segments.Length < 3 ? "names no option; name one, e.g. Model:Options:Width." : Walk(model.OptionsType, segments[2..], $"the options of {model.Name}", "an option");
        }
        if (segments.Length >= 2 && segments[0].Equals("Data", StringComparison.OrdinalIgnoreCase) && segments[1].Equals("Options", StringComparison.OrdinalIgnoreCase))
        {
            var sourceName = configuration["Data:Source"];
            var source = plugins?.DataSources.FirstOrDefault(d => d.Name.Equals(sourceName, StringComparison.OrdinalIgnoreCase));
            if (source?.OptionsType is null)
                return source is null ? $"names a plugin data source's option, and Data:Source '{sourceName ?? "digits"}' is not a plugin source with options."
                    : $"names an option, and the data source '{sourceName}' takes none.";
            return segments.Length < 3 ? "names no option; name one, e.g. Data:Options:Seed." : Walk(source.OptionsType, segments[2..], $"the options of {source.Name}", "an option");
        }
        if (RecipeBinder.OtherSections.Contains(segments[0]))
            return $"is not something a trial trains with ({segments[0]}); search recipe settings or callback options.";
        return Walk(typeof(RecipeOptions), segments, "the sections", "a recipe setting");
    }

    private static string? CallbackOption(string[] segments, IConfiguration configuration, PluginCatalog? plugins)
    {
        var entries = configuration.GetSection("Callbacks").GetChildren().ToList();
        if (segments.Length < 4 || !segments[2].Equals("Options", StringComparison.OrdinalIgnoreCase) ||
            !int.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return "is not how a callback's option is named: Callbacks:N:Options:Name, N its position in the recipe's Callbacks list.";
        if (index >= entries.Count)
            return $"names Callbacks:{index}, but the recipe has {entries.Count} callback{(entries.Count == 1 ? "" : "s")}.";
        var typeName = configuration[$"Callbacks:{index}:Type"];
        var plugin = plugins?.Plugins.FirstOrDefault(p => p.Name.Equals(typeName, StringComparison.OrdinalIgnoreCase));
        if (plugin is null) return null; // an unknown type is reported by the recipe's own validation
        if (plugin.OptionsType is null) return $"names an option, and {plugin.Name} takes none.";
        return Walk(plugin.OptionsType, segments[3..], $"the options of {plugin.Name}", "an option of " + plugin.Name);
    }

    /// <summary>Follows <paramref name="segments"/> through the settable properties of <paramref name="type"/> (list items by index).</summary>
    private static string? Walk(Type type, string[] segments, string what, string kind)
    {
        var current = type;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (ElementType(current) is { } element)
            {
                if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    return $"goes into the list {string.Join(':', segments[..i])}: name an item by its index, e.g. {string.Join(':', segments[..i])}:0.";
                current = element;
                continue;
            }
            var properties = current.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
            var property = properties.FirstOrDefault(p => p.Name.Equals(segment, StringComparison.OrdinalIgnoreCase));
            if (property is null || IsScalar(current))
            {
                var parent = i == 0 ? what : $"the settings of {string.Join(':', segments[..i])}";
                return IsScalar(current)
                    ? $"goes into {string.Join(':', segments[..i])}, which is a single value."
                    : $"is not {kind}; {parent} are: {string.Join(", ", properties.Select(p => p.Name))}.";
            }
            current = property.PropertyType;
        }
        if (!IsScalar(current) && ElementType(current) is null)
            return $"is a section; search one of its settings: {string.Join(", ", current.GetProperties().Where(p => p.CanWrite).Select(p => p.Name))}.";
        if (ElementType(current) is not null)
            return $"is a list; search one item per dimension, e.g. {string.Join(':', segments)}:0.";
        return null;
    }

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan);
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;
}
