using System.Security.Cryptography;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Training;

namespace Trainer.Hosting.Runs;

/// <summary>Creates a run's directory: <c>runs/&lt;run-id&gt;/</c> under the working directory, or the folder given with <c>--run-dir</c>.</summary>
public static class RunDirectory
{
    /// <summary>The default parent folder of run directories.</summary>
    public const string DefaultRoot = "runs";

    /// <summary>Creates the directory and returns its identity; refuses a folder that already holds a run.</summary>
    public static RunInfo Create(string recipeName, string? runDirectory, DateTimeOffset now)
    {
        if (runDirectory is not null)
        {
            var full = Path.GetFullPath(runDirectory);
            foreach (var file in new[] { RunSummaryFile.FileName, "metrics.csv" })
                if (File.Exists(Path.Combine(full, file)))
                    throw new RecipeException($"--run-dir '{runDirectory}' already holds a run ({file}); choose an empty or new folder so nothing is overwritten.");
            Directory.CreateDirectory(full);
            return new RunInfo(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), full);
        }

        var runId = $"{recipeName}-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        var path = Path.GetFullPath(Path.Combine(DefaultRoot, runId));
        Directory.CreateDirectory(path);
        return new RunInfo(runId, path);
    }
}
