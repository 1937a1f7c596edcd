namespace Trainer.Agent.Platform;

/// <summary>What <see cref="SystemdUnit.Write"/> puts into the agent's unit file. Relative paths are made absolute against the current folder.</summary>
public sealed record SystemdUnitOptions
{
    /// <summary>The queue the agent takes runs from (<c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>). Required.</summary>
    public string Queue { get; init; } = "";

    /// <summary>The folder run directories are created in. Required.</summary>
    public string RunsFolder { get; init; } = "";

    /// <summary>How many runs the agent runs at once. Default: 1.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>More arguments for <c>trainer agent</c>, after the queue, runs folder and slots. Default: none.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>The unit's description. Default: "Trainer agent".</summary>
    public string Description { get; init; } = "Trainer agent";

    /// <summary>The service's working directory. Default: the current folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The user the service runs as. Default: the current user.</summary>
    public string? User { get; init; }

    /// <summary>The group the service runs as. Default: none written (systemd takes the user's primary group).</summary>
    public string? Group { get; init; }

    /// <summary>
    /// How long the agent may go without a watchdog ping before systemd restarts it (it pings every half of this while its
    /// health probe says it is not stalled). Zero turns the watchdog off. Default: 10 minutes.
    /// </summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long systemd waits before restarting the agent after a failure. Default: 10 seconds.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long systemd waits after SIGTERM (the agent writes a checkpoint) before SIGKILL. Default: 120 seconds.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Whether runs use an NVIDIA GPU: PrivateDevices= is then left off, since it would hide /dev/nvidia* from CUDA.
    /// Default: false (PrivateDevices=yes).
    /// </summary>
    public bool Gpu { get; init; }

    /// <summary>MemoryMax= (bytes with an optional K, M, G, T suffix, a percentage, or "infinity"), e.g. "48G". Default: none.</summary>
    public string? MemoryMax { get; init; }

    /// <summary>More folders the service may write (ReadWritePaths=), besides the runs folder and a SQLite queue's folder. Default: none.</summary>
    public IReadOnlyList<string> ReadWritePaths { get; init; } = [];

    /// <summary>The trainer executable, or the dotnet host that runs <see cref="EntryAssembly"/>. Default: this process's executable.</summary>
    public string? ProcessPath { get; init; }

    /// <summary>The trainer assembly (trainer.dll) when <see cref="ProcessPath"/> is the dotnet host. Default: this process's entry assembly.</summary>
    public string? EntryAssembly { get; init; }
}
