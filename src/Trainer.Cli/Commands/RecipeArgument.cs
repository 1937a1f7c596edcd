using Trainer.Hosting.Configuration;

namespace Trainer.Cli.Commands;

/// <summary>Turns the optional RECIPE argument into a recipe source: a file, or the embedded quickstart recipe.</summary>
internal static class RecipeArgument
{
    public const string EmbeddedRecipe = "Trainer.Cli.quickstart.json";

    /// <summary>The file at <paramref name="path"/>, or the embedded quickstart recipe when it is null.</summary>
    public static RecipeSource Resolve(string? path)
    {
        if (path is null) return Embedded();
        if (path.StartsWith('-')) throw new Trainer.Recipes.RecipeException($"Unknown option '{path}'; run 'trainer --help' for usage.");
        return RecipeSource.FromFile(path);
    }

    private static RecipeSource Embedded()
    {
        using var stream = typeof(RecipeArgument).Assembly.GetManifestResourceStream(EmbeddedRecipe)
            ?? throw new InvalidOperationException($"Embedded recipe {EmbeddedRecipe} is missing.");
        using var reader = new StreamReader(stream);
        return RecipeSource.FromText(reader.ReadToEnd(), "(embedded) quickstart.json");
    }
}
