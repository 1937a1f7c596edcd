namespace Trainer.Training;

/// <summary>Identity and location of a run.</summary>
/// <param name="RunId">The run's id, e.g. "quickstart-20261123-101500-3fa2".</param>
/// <param name="Directory">The run directory, created before training starts.</param>
public sealed record RunInfo(string RunId, string Directory)
{
    /// <summary>The resolved recipe as JSON, stored in checkpoints so a resume can be compared with it; null when unknown.</summary>
    public string? RecipeJson { get; init; }
}
