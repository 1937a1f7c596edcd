using System.Security.Cryptography;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Hosting.Runs;

/// <summary>Creates a run's directory: <c>runs/&lt;run-id&gt;/</c> under the working directory, or the folder given with <c>--run-dir</c>.</summary>
public static class RunDirectory
{
    /// <summary>The default parent folder of run directories.</summary>
    public const string DefaultRoot = "runs";

    /// <summary>
    /// Creates the directory and returns its identity. A <c>--run-dir</c> must be a new or empty folder, so nothing a
    /// run wrote is ever overwritten; problems are <see cref="RecipeException"/>s naming <c>--run-dir</c>.
    /// </summary>
    public static RunInfo Create(string recipeName, string? runDirectory, DateTimeOffset now) => Create(recipeName, runDirectory, now, resume: false);

    /// <summary>As <see cref="Create(string, string?, DateTimeOffset)"/>; with <paramref name="resume"/>, an existing run directory is reused.</summary>
    public static RunInfo Create(string recipeName, string? runDirectory, DateTimeOffset now, bool resume)
    {
        if (resume && runDirectory is null)
            throw new RecipeException("--resume needs --run-dir: name the run directory to continue.");
        var generatedId = $"{recipeName}-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        if (runDirectory is null)
            return new RunInfo(generatedId, CreateFolder(Path.GetFullPath(Path.Combine(DefaultRoot, generatedId)), "The run directory"));

        if (string.IsNullOrWhiteSpace(runDirectory))
            throw new RecipeException("--run-dir is empty: give a folder, or leave the option out to use runs/<run-id>.");
        string full;
        try
        {
            full = Path.GetFullPath(runDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RecipeException($"--run-dir '{runDirectory}' is not a valid path: {e.Message}");
        }
        if (File.Exists(full))
            throw new RecipeException($"--run-dir '{runDirectory}' is a file; give a new or empty folder.");
        if (resume && !Directory.Exists(full))
            throw new RecipeException($"--run-dir '{runDirectory}' does not exist, so there is nothing to resume.");
        if (!resume && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new RecipeException($"--run-dir '{runDirectory}' is not empty; choose a new or empty folder so nothing is overwritten.");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        return new RunInfo(string.IsNullOrEmpty(name) ? generatedId : name, CreateFolder(full, $"--run-dir '{runDirectory}'"));
    }

    private static string CreateFolder(string path, string what)
    {
        try
        {
            Directory.CreateDirectory(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"{what} cannot be created at '{path}': {e.Message}");
        }
    }
}
