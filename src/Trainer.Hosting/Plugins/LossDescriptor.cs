using System.Reflection;
using Trainer.Tasks;

namespace Trainer.Hosting.Plugins;

/// <summary>A loss a plugin provides (<c>Task:Loss</c>): its recipe name and class, which has a parameterless constructor.</summary>
/// <param name="Name">The name recipes use in <c>Task:Loss</c>.</param>
/// <param name="LossType">The <see cref="ILoss"/> class.</param>
public sealed record LossDescriptor(string Name, Type LossType) : IPluginDescriptor
{
    /// <summary>The assembly the loss comes from.</summary>
    public string AssemblyName => LossType.Assembly.GetName().Name ?? "?";

    /// <inheritdoc />
    Type? IPluginDescriptor.OptionsType => null;

    /// <inheritdoc />
    Type IPluginDescriptor.ImplementationType => LossType;

    /// <summary>
    /// The descriptor of a concrete <see cref="ILoss"/> class outside Trainer.Core (whose losses are built in), named by
    /// <see cref="LossNameAttribute"/> or the class name less "Loss"; null for any other type.
    /// </summary>
    internal static LossDescriptor? Of(Type type)
    {
        if (!typeof(ILoss).IsAssignableFrom(type) || type.IsAbstract || !type.IsClass || type.Assembly == typeof(ILoss).Assembly) return null;
        var name = type.GetCustomAttribute<LossNameAttribute>()?.Name
                   ?? (type.Name.EndsWith("Loss", StringComparison.Ordinal) && type.Name.Length > 4 ? type.Name[..^4] : type.Name);
        return new LossDescriptor(name, type);
    }
}
