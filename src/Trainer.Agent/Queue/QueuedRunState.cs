namespace Trainer.Agent.Queue;

/// <summary>Where a submitted run is in its life.</summary>
public enum QueuedRunState
{
    /// <summary>Waiting for an agent.</summary>
    Queued,

    /// <summary>Claimed by an agent, which is running it and keeps its heartbeat fresh.</summary>
    Running,

    /// <summary>
    /// Stopped before its end (the agent was asked to stop, or died and its heartbeat went stale): taken again before any
    /// queued run, and resumed from its last checkpoint.
    /// </summary>
    Interrupted,

    /// <summary>Finished: the run completed (or stopped early by a callback).</summary>
    Completed,

    /// <summary>Finished: the run failed or was refused (see <see cref="QueuedRun.Message"/>).</summary>
    Failed,

    /// <summary>Cancelled by a user before or while it ran.</summary>
    Cancelled,
}
