using Trainer.Recipes;

namespace Trainer.Hosting.Configuration;

/// <summary>The text of a recipe and where it came from: a file, or the recipe embedded in the application.</summary>
public sealed class RecipeSource
{
    private RecipeSource(byte[] json, string displayName, string baseDirectory)
    {
        Json = json;
        DisplayName = displayName;
        BaseDirectory = baseDirectory;
    }

    /// <summary>The recipe's JSON bytes.</summary>
    public byte[] Json { get; }

    /// <summary>How messages name the recipe: its path, or "(embedded) NAME".</summary>
    public string DisplayName { get; }

    /// <summary>The folder relative paths in the recipe resolve against: the recipe file's folder, else the working directory.</summary>
    public string BaseDirectory { get; }

    /// <summary>Reads a recipe file; throws <see cref="RecipeException"/> when it does not exist.</summary>
    public static RecipeSource FromFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new RecipeException($"Recipe file '{path}' does not exist (looked at {full}).");
        return new RecipeSource(File.ReadAllBytes(full), path, Path.GetDirectoryName(full)!);
    }

    /// <summary>A recipe held in memory (an embedded resource, a test), resolving paths against <paramref name="baseDirectory"/>.</summary>
    public static RecipeSource FromText(string json, string displayName, string? baseDirectory = null) =>
        new(System.Text.Encoding.UTF8.GetBytes(json), displayName, baseDirectory ?? Directory.GetCurrentDirectory());
}
