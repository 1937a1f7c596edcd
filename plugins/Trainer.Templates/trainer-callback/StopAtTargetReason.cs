namespace MyCallbacks;

/// <summary>Why <see cref="StopAtTargetCallback"/> stopped a run (written to summary.json as "target-reached").</summary>
public enum StopAtTargetReason
{
    /// <summary>The metric reached the target.</summary>
    TargetReached,
}
