namespace Trainer.Checkpoints;

/// <summary>Finds the checkpoint to resume from in a run's checkpoint folder.</summary>
public static class CheckpointStore
{
    /// <summary>
    /// The valid checkpoint with the most training behind it (an epoch checkpoint wins a tie with <c>best.ckpt</c>);
    /// damaged files are skipped and reported in <paramref name="skipped"/>, one sentence each.
    /// </summary>
    public static (TrainingCheckpoint Checkpoint, string Path)? FindLatest(string folder, List<string> skipped)
    {
        if (!Directory.Exists(folder)) return null;
        (TrainingCheckpoint Checkpoint, string Path)? latest = null;
        foreach (var path in Directory.GetFiles(folder, "*" + CheckpointFile.Extension).Order(StringComparer.Ordinal))
        {
            TrainingCheckpoint checkpoint;
            try
            {
                checkpoint = CheckpointFile.Read(path);
            }
            catch (Recipes.RecipeException e)
            {
                skipped.Add(e.Message);
                continue;
            }
            var isBest = Path.GetFileName(path).StartsWith("best", StringComparison.Ordinal);
            if (latest is not { } current || checkpoint.GlobalStep > current.Checkpoint.GlobalStep ||
                (checkpoint.GlobalStep == current.Checkpoint.GlobalStep && !isBest))
                latest = (checkpoint, path);
        }
        return latest;
    }
}
