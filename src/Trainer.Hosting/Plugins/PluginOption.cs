using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Trainer.Hosting.Plugins;

/// <summary>One option of a plugin, as <c>trainer plugins</c> lists it.</summary>
/// <param name="Name">The option's key under <c>"Options"</c>.</param>
/// <param name="Type">Its type, e.g. "Int32" or "min|max".</param>
/// <param name="Default">Its default value, formatted as in a recipe.</param>
/// <param name="Description">What it means, when the options class says.</param>
public sealed record PluginOption(string Name, string Type, string Default, string? Description)
{
    /// <summary>The settable options of <paramref name="optionsType"/> with their types, defaults and <see cref="DescriptionAttribute"/> texts.</summary>
    public static IReadOnlyList<PluginOption> Describe(Type? optionsType)
    {
        if (optionsType is null) return [];
        var defaults = Activator.CreateInstance(optionsType);
        return optionsType.GetProperties()
            .Where(p => p.CanWrite && p.GetSetMethod() is not null)
            .Select(p => new PluginOption(p.Name, TypeName(p.PropertyType), Format(p.GetValue(defaults)),
                p.GetCustomAttribute<DescriptionAttribute>()?.Description))
            .ToList();
    }

    private static string TypeName(Type type) =>
        Nullable.GetUnderlyingType(type) is { } inner ? TypeName(inner) + "?" : type.IsEnum ? string.Join("|", Enum.GetNames(type)) : type.Name;

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
