using System.Reflection;
using Microsoft.Extensions.Configuration;
using Trainer.Recipes;

namespace Trainer.Hosting.Configuration;

/// <summary>
/// Binds configuration to <see cref="RecipeOptions"/> and checks it: unknown keys (typos), values that do not
/// convert, and the recipe's own rules, all reported at once with their configuration paths.
/// </summary>
public static class RecipeBinder
{
    /// <summary>Top-level sections that belong to other parts of the application, not to <see cref="RecipeOptions"/>.</summary>
    public static readonly ISet<string> OtherSections = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Serilog", "Logging", "Search", "Plugins", "Trainer",
    };

    /// <summary>Binds and validates; throws <see cref="RecipeException"/> listing every problem.</summary>
    /// <param name="configuration">The full configuration (recipe, environment, overrides).</param>
    /// <param name="userKeys">The part the user typed (recipe and overrides) to check for unknown keys; defaults to <paramref name="configuration"/>.</param>
    public static RecipeOptions Bind(IConfiguration configuration, IConfiguration? userKeys = null)
    {
        var errors = new List<string>();
        CheckKeys(userKeys ?? configuration, typeof(RecipeOptions), "", errors);
        var recipe = new RecipeOptions();
        foreach (var property in typeof(RecipeOptions).GetProperties())
        {
            var section = configuration.GetSection(property.Name);
            if (!section.Exists()) continue;
            try
            {
                // An empty JSON array or null reads as an empty value: keep the default then.
                var value = property.PropertyType == typeof(string) ? section.Value : section.Get(property.PropertyType);
                if (value is not null) property.SetValue(recipe, value);
            }
            catch (InvalidOperationException e)
            {
                errors.Add(ConversionMessage(e));
            }
        }
        recipe.Model.Hidden ??= [.. ModelOptions.DefaultHidden];
        recipe.Model.Channels ??= [.. ModelOptions.DefaultChannels];

        if (errors.Count == 0) errors.AddRange(RecipeValidator.Validate(recipe));
        if (errors.Count > 0) throw new RecipeException(errors);
        return recipe;
    }

    private static string ConversionMessage(InvalidOperationException e)
    {
        // "Failed to convert configuration value 'abc' at 'Training:Epochs' to type 'System.Int32'."
        var message = (e.InnerException is InvalidOperationException inner ? inner : e).Message;
        const string prefix = "Failed to convert configuration value '";
        if (!message.StartsWith(prefix, StringComparison.Ordinal)) return message;
        var valueEnd = message.IndexOf("' at '", StringComparison.Ordinal);
        var pathEnd = message.IndexOf("' to type '", StringComparison.Ordinal);
        if (valueEnd < 0 || pathEnd < 0) return message;
        var value = message[prefix.Length..valueEnd];
        var path = message[(valueEnd + 6)..pathEnd];
        var type = message[(pathEnd + 11)..].TrimEnd('.', '\'');
        return $"{path} '{value}' is not {Describe(type)}.";
    }

    private static string Describe(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        _ => $"a valid {type}",
    };

    private static void CheckKeys(IConfiguration configuration, Type type, string path, List<string> errors)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var child in configuration.GetChildren())
        {
            var childPath = path.Length == 0 ? child.Key : $"{path}:{child.Key}";
            if (path.Length == 0 && OtherSections.Contains(child.Key)) continue;
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                errors.Add($"{childPath} is not a recipe setting; {(path.Length == 0 ? "sections" : $"settings of {path}")} are: " +
                           $"{string.Join(", ", properties.Select(p => p.Name))}.");
                continue;
            }
            var elementType = ElementType(property.PropertyType);
            if (elementType is not null)
            {
                if (IsComplex(elementType))
                    foreach (var item in child.GetChildren())
                        CheckItem(item, elementType, $"{childPath}:{item.Key}", errors);
            }
            else if (IsComplex(property.PropertyType))
            {
                CheckKeys(child, property.PropertyType, childPath, errors);
            }
        }
    }

    private static void CheckItem(IConfigurationSection item, Type type, string path, List<string> errors)
    {
        // A callback's Options are bound by the plugin catalog against the plugin's own options type.
        if (type == typeof(CallbackSpec))
        {
            foreach (var key in item.GetChildren().Where(c => !c.Key.Equals("Options", StringComparison.OrdinalIgnoreCase) &&
                                                              !c.Key.Equals("Type", StringComparison.OrdinalIgnoreCase)))
                errors.Add($"{path}:{key.Key} is not a callback setting; an entry has Type and Options.");
            return;
        }
        CheckKeys(item, type, path, errors);
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return type.GetGenericArguments()[0];
        return null;
    }

    private static bool IsComplex(Type type) => type.IsClass && type != typeof(string);
}
