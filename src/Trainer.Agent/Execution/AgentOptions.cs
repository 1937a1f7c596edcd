namespace Trainer.Agent.Execution;

/// <summary>How a <see cref="TrainingAgent"/> takes and runs queued recipes.</summary>
public sealed class AgentOptions
{
    /// <summary>
    /// This agent's name in the queue (default: the machine's name). It must be unique among the agents sharing a queue and
    /// stay the same across restarts: a restarted agent puts back the runs its previous life held.
    /// </summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>The folder the runs' directories are made in (default: <c>runs</c> under the working directory).</summary>
    public string RunsDirectory { get; set; } = "runs";

    /// <summary>How many runs go at once (default 1). Each slot gets an equal share of the CPU threads, or its own GPU.</summary>
    public int Slots { get; set; } = 1;

    /// <summary>CPU threads in all (default: the processor count), split between the slots (<c>--Training:Threads</c> per run).</summary>
    public int? Threads { get; set; }

    /// <summary>GPU indices to give one to each slot (<c>CUDA_VISIBLE_DEVICES</c>); empty: the runs choose their device as their recipes say.</summary>
    public IReadOnlyList<int> Gpus { get; set; } = [];

    /// <summary>How often a running run's heartbeat is sent and a cancellation looked for (default 5 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long without a heartbeat before another agent's run counts as abandoned and is put back (default 3 min). It must
    /// exceed <see cref="StopTimeout"/>: a stopping run sends no heartbeat while it writes its checkpoint.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often an idle agent looks at the queue (default 2 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a stopping run may take to write its checkpoint before it is killed (default 100 s).</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Serve each run's live page on a free loopback port (its address in RUN_DIR/endpoint.json), so the dashboard can open it.</summary>
    public bool ServeRuns { get; set; } = true;

    /// <summary>
    /// The memory the agent's runs may use together (bytes; default: <see cref="AgentMemory.Available"/>). Each slot's share
    /// becomes its runs' <c>Training:MemoryLimitMB</c> (a run that cannot fit is refused before its first step) and half of it
    /// their <c>Data:MemoryBudgetMB</c> (a larger data set streams from disk where its source can).
    /// </summary>
    public long? MemoryLimitBytes { get; set; }

    /// <summary>Stop after this many runs have finished (for tests and batch use); null: run until stopped.</summary>
    public int? MaxRuns { get; set; }

    /// <summary>
    /// Stop once no run waits or runs in the queue, instead of waiting for more (for batch use). Another agent's running run
    /// keeps it waiting: should that agent die, this one resumes the run.
    /// </summary>
    public bool ExitWhenIdle { get; set; }
}
