namespace Trainer.Search;

/// <summary>Where a trial of a study stands.</summary>
public enum TrialState
{
    /// <summary>A worker is training it.</summary>
    Running,

    /// <summary>It finished with an objective value.</summary>
    Complete,

    /// <summary>A pruner stopped it early; its last reported value stands.</summary>
    Pruned,

    /// <summary>It failed (invalid sample, exception, non-finite loss, or its worker died).</summary>
    Failed,

    /// <summary>
    /// Ctrl+C, SIGTERM or a service stop ended it after a batch: not a failure and not counted in the budget; the next
    /// search run on the study resumes it (from its last checkpoint, when the recipe writes them) before starting new ones.
    /// </summary>
    Interrupted,
}
