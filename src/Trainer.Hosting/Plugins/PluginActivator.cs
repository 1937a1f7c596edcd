using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Trainer.Recipes;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// Builds plugins of every kind the same way: binds the recipe's options section to the options type the plugin's
/// constructor takes (unknown keys are errors), validates them (data annotations and <see cref="IValidatableObject"/>)
/// and passes them to the constructor. Problems are collected as lines naming the configuration path.
/// </summary>
public static class PluginActivator
{
    /// <summary>
    /// Builds <paramref name="plugin"/> from its options section: with no options type, the section must be empty;
    /// otherwise the options are bound and validated and passed to the constructor. Problems go to
    /// <paramref name="errors"/> under <paramref name="path"/>; the result is then null.
    /// </summary>
    /// <param name="plugin">What to build; its name is the one the messages use.</param>
    /// <param name="options">The recipe's options section for it.</param>
    /// <param name="path">The configuration path of <paramref name="options"/>, e.g. "Callbacks:0:Options".</param>
    /// <param name="errors">Where problems are added.</param>
    public static object? Create(IPluginDescriptor plugin, IConfigurationSection options, string path, List<string> errors)
    {
        if (plugin.OptionsType is null)
        {
            if (!options.GetChildren().Any()) return Activator.CreateInstance(plugin.ImplementationType);
            errors.Add($"{path}: {plugin.Name} takes no options.");
            return null;
        }
        if (BindOptions(plugin.OptionsType, plugin.Name, options, path, errors) is not { } bound || !ValidateOptions(bound, path, errors))
            return null;
        try
        {
            return Activator.CreateInstance(plugin.ImplementationType, bound);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or RecipeException)
        {
            errors.Add($"{path}: {e.InnerException.Message}");
            return null;
        }
    }

    /// <summary>
    /// Binds a plugin's options section to a new <paramref name="optionsType"/> (unknown keys are errors); adds a
    /// message naming <paramref name="path"/> and listing the options to <paramref name="errors"/> when it fails.
    /// </summary>
    public static object? BindOptions(Type optionsType, string pluginName, IConfigurationSection section, string path, List<string> errors)
    {
        try
        {
            var options = Activator.CreateInstance(optionsType)!;
            section.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
            return options;
        }
        catch (InvalidOperationException e)
        {
            var detail = (e.InnerException as InvalidOperationException ?? e).Message;
            var known = string.Join(", ", optionsType.GetProperties().Where(p => p.CanWrite).Select(p => p.Name));
            errors.Add($"{path}: {detail.Replace(optionsType.FullName ?? "", pluginName + " options")} (options: {known}).");
            return null;
        }
    }

    /// <summary>Checks options with their data annotations and <see cref="IValidatableObject"/>; adds each problem, under <paramref name="path"/>, to <paramref name="errors"/>.</summary>
    public static bool ValidateOptions(object options, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)) return true;
        foreach (var result in results)
        {
            var members = result.MemberNames.ToList();
            errors.Add(members.Count > 0 ? $"{path}:{string.Join(",", members)}: {result.ErrorMessage}" : $"{path}: {result.ErrorMessage}");
        }
        return false;
    }

    /// <summary>
    /// The options type a plugin class's constructor takes: the parameter of its one-parameter public constructor, or
    /// null when it has a parameterless one. Throws <see cref="ArgumentException"/> when it has neither.
    /// </summary>
    internal static Type? OptionsTypeOf(Type type)
    {
        var optionsType = type.GetConstructors().Select(c => c.GetParameters()).Where(p => p.Length == 1).Select(p => p[0].ParameterType).FirstOrDefault();
        if (optionsType is null && type.GetConstructor(Type.EmptyTypes) is null)
            throw new ArgumentException($"{type.FullName} needs a public constructor taking nothing or one options object.", nameof(type));
        return optionsType;
    }
}
