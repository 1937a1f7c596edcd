using Microsoft.Extensions.Configuration;
using Trainer.Recipes;

namespace Trainer.Hosting.Configuration;

/// <summary>
/// Builds a run's configuration: an optional <c>appsettings.json</c> (settings shared by every recipe, such as
/// Serilog sinks), the recipe JSON, environment variables prefixed <c>TRAINER_</c> (<c>TRAINER_Training__Epochs=5</c>),
/// then command-line overrides (<c>--Training:Epochs=5</c>); later wins.
/// </summary>
public static class RecipeConfiguration
{
    /// <summary>The environment variable prefix.</summary>
    public const string EnvironmentPrefix = "TRAINER_";

    /// <summary>Builds the configuration of <paramref name="recipe"/> with <paramref name="overrides"/> on top.</summary>
    /// <param name="recipe">The recipe text and where it came from.</param>
    /// <param name="overrides">Command-line overrides such as <c>--Training:Epochs=3</c>.</param>
    /// <param name="includeEnvironment">Whether <c>TRAINER_</c> environment variables take part.</param>
    /// <param name="appSettings">An <c>appsettings.json</c> to read first, if it exists.</param>
    public static IConfigurationRoot Build(RecipeSource recipe, IEnumerable<string> overrides, bool includeEnvironment = true, string? appSettings = null)
    {
        var builder = new ConfigurationBuilder();
        try
        {
            if (appSettings is not null && File.Exists(appSettings))
                builder.AddJsonFile(appSettings, optional: true, reloadOnChange: false);
            builder.AddJsonStream(new MemoryStream(recipe.Json));
            if (includeEnvironment) builder.AddEnvironmentVariables(EnvironmentPrefix);
            builder.AddCommandLine(Normalize(overrides).ToArray());
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            var detail = e.InnerException?.Message ?? e.Message;
            var file = e.Message.Contains(Path.GetFileName(appSettings ?? "\0"), StringComparison.Ordinal) ? appSettings : recipe.DisplayName;
            throw new RecipeException($"Recipe '{file}' is not valid JSON: {detail}");
        }
    }

    /// <summary>
    /// The two views of a recipe that checking it needs, built together: everything that applies (appsettings.json, the
    /// recipe, <c>TRAINER_</c> variables, overrides), and what the user typed (the recipe and the overrides), whose keys
    /// alone are reported when unknown, so unrelated <c>TRAINER_</c> variables are tolerated.
    /// </summary>
    public static (IConfigurationRoot All, IConfigurationRoot Typed) BuildLayers(RecipeSource recipe, IEnumerable<string> overrides, string? appSettings = null)
    {
        var list = overrides.ToList();
        return (Build(recipe, list, appSettings: appSettings), Build(recipe, list, includeEnvironment: false));
    }

    /// <summary>
    /// Makes <c>Data:Path</c> and <c>Data:TestPath</c> absolute against the working directory when they were given on the
    /// command line or in the environment (as typed in a shell), rather than in the recipe, whose relative paths resolve
    /// against the recipe's folder.
    /// </summary>
    public static void ResolveOverriddenPaths(RecipeOptions recipe, IEnumerable<string> overrides)
    {
        var commandLine = new ConfigurationBuilder().AddCommandLine(Normalize(overrides).ToArray()).Build();
        string? Outside(string key) =>
            commandLine[key] ?? Environment.GetEnvironmentVariable(EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal));
        if (Outside("Data:Path") is { Length: > 0 } path) recipe.Data.Path = Path.GetFullPath(path);
        if (Outside("Data:TestPath") is { Length: > 0 } testPath) recipe.Data.TestPath = Path.GetFullPath(testPath);
    }

    private static IEnumerable<string> Normalize(IEnumerable<string> overrides)
    {
        foreach (var token in overrides)
        {
            if (token.StartsWith('-') && !token.StartsWith("--", StringComparison.Ordinal) && token.Length > 1 && token.Contains(':'))
                yield return "-" + token; // "-Training:Epochs=3" → "--Training:Epochs=3"
            else
                yield return token;
        }
    }
}
