using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Trainer.Recipes;

namespace Trainer.Hosting.Configuration;

/// <summary>
/// Binds configuration to <see cref="RecipeOptions"/> value by value and checks it: unknown keys (typos), values that
/// do not convert, and the recipe's own rules, all reported at once with their configuration paths.
/// </summary>
public static class RecipeBinder
{
    /// <summary>Top-level sections that belong to other parts of the application, not to <see cref="RecipeOptions"/>.</summary>
    public static readonly ISet<string> OtherSections = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Serilog", "Logging", "Search", "Plugins", "Trainer", "Serve",
    };

    /// <summary>Binds and validates; throws <see cref="RecipeException"/> listing every problem.</summary>
    /// <param name="configuration">The full configuration (recipe, environment, overrides).</param>
    /// <param name="userKeys">
    /// The part the user typed (recipe and overrides): only keys present there are reported as unknown, so unrelated
    /// <c>TRAINER_</c> environment variables are tolerated. Defaults to <paramref name="configuration"/>.
    /// </param>
    public static RecipeOptions Bind(IConfiguration configuration, IConfiguration? userKeys = null)
    {
        var binding = new Binding(userKeys ?? configuration);
        var recipe = new RecipeOptions();
        binding.BindObject(configuration, recipe, "");
        recipe.Model.Hidden ??= [.. ModelOptions.DefaultHidden];
        recipe.Model.Channels ??= [.. ModelOptions.DefaultChannels];

        // Rules run on whatever converted (a value that did not convert keeps its valid default), so every problem shows.
        var errors = binding.Errors.Concat(RecipeValidator.Validate(recipe)).ToList();
        if (errors.Count > 0) throw new RecipeException(errors);
        return recipe;
    }

    private sealed class Binding(IConfiguration userKeys)
    {
        public List<string> Errors { get; } = [];

        public void BindObject(IConfiguration section, object target, string path)
        {
            var properties = target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
            foreach (var child in section.GetChildren())
            {
                var childPath = path.Length == 0 ? child.Key : $"{path}:{child.Key}";
                if (path.Length == 0 && OtherSections.Contains(child.Key)) continue;
                if (string.Equals(childPath, "Model:Options", StringComparison.OrdinalIgnoreCase)) continue; // the plugin model's own options
                if (string.Equals(childPath, "Data:Options", StringComparison.OrdinalIgnoreCase)) continue; // the plugin data source's own options
                var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
                if (property is null)
                {
                    if (userKeys.GetSection(childPath).Exists())
                        Errors.Add($"{childPath} is not a recipe setting; {(path.Length == 0 ? "sections" : $"settings of {path}")} are: " +
                                   $"{string.Join(", ", properties.Select(p => p.Name))}.");
                    continue;
                }
                BindProperty(child, target, property, childPath);
            }
        }

        private void BindProperty(IConfigurationSection section, object target, PropertyInfo property, string path)
        {
            var type = property.PropertyType;
            if (type == typeof(List<CallbackSpec>))
            {
                property.SetValue(target, BindCallbacks(section, path));
            }
            else if (type.IsArray)
            {
                if (BindArray(section, type.GetElementType()!, path) is { } array) property.SetValue(target, array);
            }
            else if (type.IsClass && type != typeof(string))
            {
                if (!string.IsNullOrEmpty(section.Value))
                    Errors.Add($"{path} must be a section (a JSON object with settings), not the value '{section.Value}'.");
                else
                    BindObject(section, property.GetValue(target) ?? Activator.CreateInstance(type)!, path);
            }
            else if (section.GetChildren().Any())
            {
                Errors.Add($"{path} is a single value, not a section.");
            }
            else if (TryConvert(section.Value, type, path, out var value))
            {
                property.SetValue(target, value);
            }
        }

        private Array? BindArray(IConfigurationSection section, Type elementType, string path)
        {
            var items = section.GetChildren().ToList();
            if (items.Count == 0 || !string.IsNullOrEmpty(section.Value))
            {
                if (string.IsNullOrEmpty(section.Value)) return Array.CreateInstance(elementType, 0); // "[]"
                Errors.Add($"{path} '{section.Value}' is not a list; write it as a JSON array, e.g. [128, 64].");
                return null;
            }
            var indexed = items.Select(i => (Index: int.TryParse(i.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1, Item: i)).ToList();
            if (indexed.Any(i => i.Index < 0) || !indexed.Select(i => i.Index).Order().SequenceEqual(Enumerable.Range(0, items.Count)))
            {
                Errors.Add($"{path} must be a list with items 0, 1, 2, …; got keys {string.Join(", ", items.Select(i => i.Key))}.");
                return null;
            }
            var array = Array.CreateInstance(elementType, items.Count);
            var converted = true;
            foreach (var (index, item) in indexed)
                if (TryConvert(item.Value, elementType, $"{path}:{index}", out var value)) array.SetValue(value, index);
                else converted = false;
            return converted ? array : null; // a list with an item that did not convert keeps its default, so its rules do not repeat the error
        }

        private List<CallbackSpec> BindCallbacks(IConfigurationSection section, string path)
        {
            var list = new List<CallbackSpec>();
            foreach (var item in section.GetChildren().OrderBy(i => int.TryParse(i.Key, out var n) ? n : int.MaxValue))
            {
                foreach (var key in item.GetChildren().Where(c => !c.Key.Equals("Options", StringComparison.OrdinalIgnoreCase) &&
                                                                  !c.Key.Equals("Type", StringComparison.OrdinalIgnoreCase)))
                    Errors.Add($"{path}:{item.Key}:{key.Key} is not a callback setting; an entry has Type and Options.");
                list.Add(new CallbackSpec { Type = item["Type"] ?? "" });
            }
            return list;
        }

        private bool TryConvert(string? text, Type type, string path, out object? value)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            value = null;
            // JSON null: strings and nullable values become null; other values keep their default.
            if (text is null) return type == typeof(string) || Nullable.GetUnderlyingType(type) is not null;
            if (text.Length == 0 && Nullable.GetUnderlyingType(type) is not null) return true;
            var c = CultureInfo.InvariantCulture;
            switch (Type.GetTypeCode(target))
            {
                case TypeCode.String: value = text; return true;
                case TypeCode.Int32 when int.TryParse(text, NumberStyles.Integer, c, out var i): value = i; return true;
                case TypeCode.Int32 when long.TryParse(text, NumberStyles.Integer, c, out _) || System.Numerics.BigInteger.TryParse(text, NumberStyles.Integer, c, out _):
                    Errors.Add($"{path} '{text}' is out of range; use a whole number from {int.MinValue} to {int.MaxValue}.");
                    return false;
                case TypeCode.Int64 when long.TryParse(text, NumberStyles.Integer, c, out var l): value = l; return true;
                case TypeCode.Double when double.TryParse(text, NumberStyles.Float, c, out var d): value = d; return true;
                case TypeCode.Boolean when bool.TryParse(text, out var b): value = b; return true;
            }
            Errors.Add($"{path} '{text}' is not {Describe(target)}.");
            return false;
        }

        private static string Describe(Type type) => Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.Double => "a number",
            TypeCode.Boolean => "true or false",
            _ => $"a valid {type.Name}",
        };
    }
}
