namespace Trainer.Agent.Queue;

/// <summary>
/// A durable queue of runs shared by the agents that take from it and the users who submit to it. Every method is one
/// short transaction; several processes (and, with PostgreSQL, several machines) may use one queue at once, and each run is
/// claimed by exactly one agent at a time.
/// </summary>
public interface IRunQueue : IDisposable
{
    /// <summary>Where the queue is (<c>sqlite:PATH</c> or <c>postgres:Host=…</c> with the password left out), for messages.</summary>
    string Location { get; }

    /// <summary>Queues a run and returns it with its id.</summary>
    QueuedRun Submit(QueueSubmission submission);

    /// <summary>The run with this id, or null.</summary>
    QueuedRun? Get(long id);

    /// <summary>
    /// The runs in the order an agent would take them (interrupted, then queued by priority and id), then running, then
    /// finished ones newest first; finished ones only when <paramref name="includeFinished"/>.
    /// </summary>
    IReadOnlyList<QueuedRun> List(bool includeFinished = true);

    /// <summary>
    /// Claims the next run for <paramref name="agent"/>: an interrupted run first (to resume it), else the queued run of
    /// highest priority submitted first; marks it running with a fresh heartbeat and one more attempt. Null when none waits.
    /// </summary>
    QueuedRun? Claim(string agent);

    /// <summary>Refreshes the heartbeat of a run <paramref name="agent"/> holds and says whether to go on.</summary>
    HeartbeatReply Heartbeat(long id, string agent);

    /// <summary>Records the run directory the agent made for a run it holds.</summary>
    void SetRunDirectory(long id, string agent, string runDirectory);

    /// <summary>Records how a run the agent holds ended. Ignored (false) when the run is no longer this agent's.</summary>
    bool Finish(long id, string agent, RunOutcomeReport outcome);

    /// <summary>
    /// Puts a run the agent holds back as <see cref="QueuedRunState.Interrupted"/> (the agent is stopping), so the next
    /// claim resumes it before any queued run. Adds <paramref name="durationSeconds"/> to its running time.
    /// </summary>
    bool Release(long id, string agent, double durationSeconds, string? message = null);

    /// <summary>
    /// Cancels a run: a queued or interrupted one at once; a running one is marked so its agent stops it at the next
    /// heartbeat. False when there is no such run or it already finished.
    /// </summary>
    bool Cancel(long id);

    /// <summary>Marks interrupted every running run whose heartbeat is older than <paramref name="grace"/> (its agent died). Returns how many.</summary>
    int RequeueStale(TimeSpan grace);

    /// <summary>Marks interrupted every running run held by <paramref name="agent"/> (the agent restarted after dying). Returns how many.</summary>
    int RequeueAgent(string agent);
}
