using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Trainer.Hosting.Plugins;

/// <summary>A callback plugin the catalog can build: its recipe name, class, and options type.</summary>
/// <param name="Name">The name recipes use in <c>"Type"</c>.</param>
/// <param name="CallbackType">The <see cref="Trainer.Callbacks.TrainingCallback"/> subclass.</param>
/// <param name="OptionsType">The type its constructor takes, bound from <c>"Options"</c>; null for a parameterless constructor.</param>
public sealed record PluginDescriptor(string Name, Type CallbackType, Type? OptionsType)
{
    /// <summary>The assembly the plugin comes from.</summary>
    public string AssemblyName => CallbackType.Assembly.GetName().Name ?? "?";

    /// <summary>The settable options with their types, defaults and <see cref="DescriptionAttribute"/> texts.</summary>
    public IReadOnlyList<PluginOption> Options
    {
        get
        {
            if (OptionsType is null) return [];
            var defaults = Activator.CreateInstance(OptionsType);
            return OptionsType.GetProperties()
                .Where(p => p.CanWrite && p.GetSetMethod() is not null)
                .Select(p => new PluginOption(p.Name, TypeName(p.PropertyType), Format(p.GetValue(defaults)),
                    p.GetCustomAttribute<DescriptionAttribute>()?.Description))
                .ToList();
        }
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
