namespace Trainer.Agent.Queue;

/// <summary>What the queue answers an agent's heartbeat for a run it holds.</summary>
public enum HeartbeatReply
{
    /// <summary>The run is still this agent's: go on.</summary>
    Continue,

    /// <summary>A user cancelled the run: stop it and report it <see cref="QueuedRunState.Cancelled"/>.</summary>
    Cancel,

    /// <summary>The run is no longer this agent's (its heartbeat went stale and another agent took it): stop it without reporting.</summary>
    Lost,
}
