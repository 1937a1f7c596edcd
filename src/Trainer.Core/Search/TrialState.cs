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
}
