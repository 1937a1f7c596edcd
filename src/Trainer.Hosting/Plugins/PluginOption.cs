namespace Trainer.Hosting.Plugins;

/// <summary>One option of a plugin, as <c>trainer plugins</c> lists it.</summary>
/// <param name="Name">The option's key under <c>"Options"</c>.</param>
/// <param name="Type">Its type, e.g. "Int32" or "min|max".</param>
/// <param name="Default">Its default value, formatted as in a recipe.</param>
/// <param name="Description">What it means, when the options class says.</param>
public sealed record PluginOption(string Name, string Type, string Default, string? Description);
