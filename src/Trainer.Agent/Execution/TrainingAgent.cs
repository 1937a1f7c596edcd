using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Trainer.Agent.Queue;

namespace Trainer.Agent.Execution;

/// <summary>
/// Takes runs from an <see cref="IRunQueue"/> and runs each as an ordinary <c>trainer run</c> in its own process and run
/// directory, one per slot at a time: interrupted runs first (resumed from their last checkpoint), then queued ones by
/// priority. While a run goes, its heartbeat tells the queue the agent is alive and brings back a user's cancellation;
/// when the agent stops, the run writes its checkpoint and goes back to the head of the queue.
/// </summary>
public sealed class TrainingAgent
{
    private readonly IRunQueue queue;
    private readonly AgentOptions options;
    private readonly TrainerCommand command;
    private readonly ILogger logger;
    private readonly string runsDirectory;
    private readonly long memoryLimit;
    private readonly string[] slotStatus;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long lastTick = Environment.TickCount64;
    private int finishedRuns;
    private int busySlots;

    /// <summary>Creates an agent over <paramref name="queue"/> that starts runs with <paramref name="command"/>.</summary>
    public TrainingAgent(IRunQueue queue, AgentOptions options, TrainerCommand command, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Slots < 1) throw new ArgumentOutOfRangeException(nameof(options), "An agent needs at least one slot.");
        if (options.Gpus.Count > 0 && options.Gpus.Count < options.Slots)
            throw new ArgumentOutOfRangeException(nameof(options), $"{options.Slots} slots need {options.Slots} GPUs; {options.Gpus.Count} given.");
        this.queue = queue;
        this.options = options;
        this.command = command;
        this.logger = logger;
        runsDirectory = Path.GetFullPath(options.RunsDirectory);
        memoryLimit = options.MemoryLimitBytes ?? AgentMemory.Available();
        slotStatus = Enumerable.Repeat("idle", options.Slots).ToArray();
    }

    /// <summary>Completes when the agent has opened the queue, put back its previous life's runs and can take work.</summary>
    public Task Ready => ready.Task;

    /// <summary>How many runs this agent has finished (completed, failed or cancelled) since it started.</summary>
    public int FinishedRuns => Volatile.Read(ref finishedRuns);

    /// <summary>One line for a service manager's status: what each slot is doing.</summary>
    public string Status
    {
        get
        {
            lock (slotStatus)
                return slotStatus.Length == 1 ? slotStatus[0] : string.Join("; ", slotStatus.Select((s, i) => $"slot {i + 1}: {s}"));
        }
    }

    /// <summary>
    /// Whether the agent's loops are alive: each slot's loop ticks at least every heartbeat or poll interval, so a tick older
    /// than three of those means a stalled agent (what a service manager's watchdog should see).
    /// </summary>
    public bool IsHealthy
    {
        get
        {
            var interval = Math.Max(options.HeartbeatInterval.TotalMilliseconds, options.PollInterval.TotalMilliseconds);
            return Environment.TickCount64 - Interlocked.Read(ref lastTick) < Math.Max(3 * interval, 30_000);
        }
    }

    /// <summary>Runs the agent until <paramref name="stopping"/> is cancelled (or the options' run limit or idleness ends it).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        Directory.CreateDirectory(runsDirectory);
        var own = queue.RequeueAgent(options.Name);
        if (own > 0) AgentLog.RequeuedOwn(logger, own);
        AgentLog.Started(logger, options.Name, queue.Location, runsDirectory, options.Slots, memoryLimit / 1048576.0 / options.Slots);
        ready.TrySetResult();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var slots = Enumerable.Range(0, options.Slots).Select(slot => Task.Run(() => SlotAsync(slot, stopping, done), CancellationToken.None)).ToArray();
        await Task.WhenAll(slots).ConfigureAwait(false);
        AgentLog.Stopped(logger, options.Name, FinishedRuns);
    }

    private async Task SlotAsync(int slot, CancellationToken stopping, CancellationTokenSource done)
    {
        while (!done.IsCancellationRequested)
        {
            Tick();
            QueuedRun? run;
            try
            {
                var stale = queue.RequeueStale(options.StaleAfter); // from every idle slot: a busy slot 0 must not keep a dead agent's run waiting
                if (stale > 0) AgentLog.RequeuedStale(logger, stale, options.StaleAfter.TotalSeconds);
                run = options.MaxRuns is { } max && FinishedRuns + Volatile.Read(ref busySlots) >= max ? null : queue.Claim(options.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AgentLog.QueueUnavailable(logger, queue.Location, e.Message, options.PollInterval.TotalSeconds);
                await Delay(options.PollInterval, done.Token).ConfigureAwait(false);
                continue;
            }
            if (run is null)
            {
                if ((options.ExitWhenIdle && Volatile.Read(ref busySlots) == 0 && QueueIsDone()) || (options.MaxRuns is { } limit && FinishedRuns >= limit))
                {
                    await done.CancelAsync().ConfigureAwait(false);
                    break;
                }
                await Delay(options.PollInterval, done.Token).ConfigureAwait(false);
                continue;
            }
            Interlocked.Increment(ref busySlots);
            try
            {
                if (stopping.IsCancellationRequested)
                {
                    queue.Release(run.Id, options.Name, 0, $"agent {options.Name} stopped before starting it");
                    break;
                }
                await ExecuteAsync(run, slot, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A run the agent could not start or report (a full disk, the queue gone): put it back and keep the slot alive.
                AgentLog.RunNotRun(logger, run.Id, run.Submission.Name, e.Message);
                TryRelease(run, e.Message);
                await Delay(options.PollInterval, done.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref busySlots);
                SetStatus(slot, "idle");
            }
        }
    }

    private void TryRelease(QueuedRun run, string why)
    {
        try
        {
            queue.Release(run.Id, options.Name, 0, $"agent {options.Name} could not run it: {why}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the queue itself is unreachable: the heartbeat goes stale and another life of an agent takes the run back
            AgentLog.QueueUnavailable(logger, queue.Location, e.Message, options.PollInterval.TotalSeconds);
        }
    }

    /// <summary>
    /// Whether no run waits or runs anywhere: an idle agent asked to exit then stays while another agent's run is still
    /// running, since that agent may die and leave the run to be resumed here.
    /// </summary>
    private bool QueueIsDone()
    {
        try
        {
            return queue.List(includeFinished: false).Count == 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AgentLog.QueueUnavailable(logger, queue.Location, e.Message, options.PollInterval.TotalSeconds);
            return false;
        }
    }

    private async Task ExecuteAsync(QueuedRun run, int slot, CancellationToken stopping)
    {
        var name = run.Submission.Name;
        var (directory, resume) = RunDirectoryFor(run);
        queue.SetRunDirectory(run.Id, options.Name, directory);
        var arguments = Arguments(run, directory, resume, slot, out var environment, out var workingDirectory);
        AgentLog.RunStarted(logger, run.Id, name, slot + 1, run.Attempts, resume ? ", resuming from its checkpoint" : "", directory);
        using var process = RunProcess.Start(command, arguments, environment, workingDirectory);
        var exit = process.WaitAsync(CancellationToken.None);
        var lastHeartbeat = DateTimeOffset.UtcNow;
        while (true)
        {
            Tick();
            SetStatus(slot, Describe(run, directory, process));
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var wake = Task.Delay(options.HeartbeatInterval, beat.Token);
            var first = await Task.WhenAny(exit, wake).ConfigureAwait(false);
            await beat.CancelAsync().ConfigureAwait(false);
            if (first == exit)
            {
                var code = await exit.ConfigureAwait(false);
                // A service manager signals the whole group: the run may have exited on its own SIGTERM before the agent saw its stop.
                if (code != 0 && stopping.IsCancellationRequested)
                    Release(run, process, $"agent {options.Name} stopped (the run exited with {code})");
                else Finish(run, process, code, cancelled: false);
                return;
            }
            if (stopping.IsCancellationRequested)
            {
                AgentLog.Releasing(logger, run.Id, name);
                var code = await process.StopAsync(options.StopTimeout).ConfigureAwait(false);
                if (code == 0) Finish(run, process, code, cancelled: false); // it finished while stopping
                else Release(run, process, $"agent {options.Name} stopped (the run exited with {code})");
                return;
            }
            HeartbeatReply reply;
            try
            {
                reply = queue.Heartbeat(run.Id, options.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AgentLog.QueueUnavailable(logger, queue.Location, e.Message, options.HeartbeatInterval.TotalSeconds);
                // The run goes on and the heartbeat is tried again, until other agents would count it stale and take the run:
                // then it stops here, so that two processes never write one run directory.
                if (DateTimeOffset.UtcNow - lastHeartbeat < options.StaleAfter - 2 * options.HeartbeatInterval) continue;
                AgentLog.Lost(logger, run.Id, name);
                process.KillNow();
                await exit.ConfigureAwait(false);
                return;
            }
            lastHeartbeat = DateTimeOffset.UtcNow;
            if (reply == HeartbeatReply.Cancel)
            {
                AgentLog.Cancelling(logger, run.Id, name);
                var code = await process.StopAsync(options.StopTimeout).ConfigureAwait(false);
                Finish(run, process, code, cancelled: true);
                return;
            }
            if (reply == HeartbeatReply.Lost)
            {
                AgentLog.Lost(logger, run.Id, name);
                process.KillNow();
                await exit.ConfigureAwait(false);
                return;
            }
        }
    }

    private void Finish(QueuedRun run, RunProcess process, int exitCode, bool cancelled)
    {
        var state = cancelled ? QueuedRunState.Cancelled : exitCode == 0 ? QueuedRunState.Completed : QueuedRunState.Failed;
        string? message = null;
        if (!cancelled && exitCode != 0)
        {
            message = Failure(exitCode, process.LastErrors);
            AgentLog.RunFailed(logger, run.Id, run.Submission.Name, message);
        }
        var peak = process.PeakMemoryBytes;
        Retry(() => queue.Finish(run.Id, options.Name, new RunOutcomeReport(state, exitCode, peak, process.Elapsed.TotalSeconds, message)));
        try
        {
            File.Delete(RecipeCopy(run));
        }
        catch (IOException)
        {
            // kept; harmless
        }
        Interlocked.Increment(ref finishedRuns);
        AgentLog.RunEnded(logger, run.Id, run.Submission.Name, state.ToString().ToLowerInvariant(), exitCode, process.Elapsed.TotalSeconds, peak / 1048576.0);
    }

    private void Release(QueuedRun run, RunProcess process, string message) =>
        Retry(() => queue.Release(run.Id, options.Name, process.Elapsed.TotalSeconds, message));

    /// <summary>Reports to the queue, trying again through a short outage, so a finished run is not taken for a dead agent's and run again.</summary>
    private void Retry(Func<bool> report)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                report();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
            {
                AgentLog.QueueUnavailable(logger, queue.Location, e.Message, attempt);
                Thread.Sleep(TimeSpan.FromSeconds(attempt));
            }
        }
    }

    private string RecipeCopy(QueuedRun run) => Path.Combine(runsDirectory, ".queue", $"q{run.Id}.json");

    private static string Failure(int exitCode, string errors)
    {
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = lines.LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal)) ?? lines.LastOrDefault();
        var what = exitCode switch
        {
            2 => "the recipe or its data is invalid",
            130 => "it was interrupted from outside the agent",
            137 or -1 => "it was killed (out of memory?)",
            _ => $"it exited with {exitCode}",
        };
        return error is null ? what : $"{what}: {error}";
    }

    private (string Directory, bool Resume) RunDirectoryFor(QueuedRun run)
    {
        if (run.RunDirectory is { } previous && HasCheckpoint(previous)) return (previous, true);
        var stem = Path.Combine(runsDirectory, $"{Safe(run.Submission.Name)}-q{run.Id}");
        var directory = stem;
        for (var attempt = 2; Directory.Exists(directory); attempt++) directory = $"{stem}-a{attempt}";
        return (directory, false);
    }

    private static bool HasCheckpoint(string directory)
    {
        var checkpoints = Path.Combine(directory, "checkpoints");
        return Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints, "*.ckpt").Any();
    }

    private List<string> Arguments(QueuedRun run, string directory, bool resume, int slot, out Dictionary<string, string> environment, out string workingDirectory)
    {
        var submission = run.Submission;
        var recipe = RecipeCopy(run);
        Directory.CreateDirectory(Path.GetDirectoryName(recipe)!);
        File.WriteAllText(recipe, submission.RecipeJson); // UTF-8 without a byte-order mark
        workingDirectory = Directory.GetCurrentDirectory();
        var baseDirectory = workingDirectory;
        if (submission.RecipePath is { } path && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            if (Directory.Exists(folder)) baseDirectory = folder;
            else AgentLog.RecipeFolderMissing(logger, run.Id, submission.Name, folder, workingDirectory);
        }
        var arguments = new List<string> { "run", recipe, "--base-dir", baseDirectory, "--run-dir", directory };
        if (resume) arguments.Add("--resume");
        // An experiment runs several variants, and one live server serves one run: its variants are not served.
        if (options.ServeRuns && !IsExperiment(submission.RecipeJson)) arguments.AddRange(["--serve", "http://127.0.0.1:0"]);
        arguments.AddRange(submission.Overrides);
        var share = memoryLimit / options.Slots / 1048576;
        arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--Training:MemoryLimitMB={share}"));
        arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--Data:MemoryBudgetMB={Math.Max(1, share / 2)}"));
        if (options.Slots > 1 || options.Threads is not null)
        {
            var threads = Math.Max(1, (options.Threads ?? Environment.ProcessorCount) / options.Slots);
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--Training:Threads={threads}"));
        }
        environment = [];
        if (options.Gpus.Count > 0) environment["CUDA_VISIBLE_DEVICES"] = options.Gpus[slot].ToString(CultureInfo.InvariantCulture);
        return arguments;
    }

    private static bool IsExperiment(string json)
    {
        try
        {
            return Trainer.Hosting.Experiments.ExperimentSpecParser.IsExperiment(Trainer.Hosting.Configuration.RecipeSource.FromText(json, "queued recipe"));
        }
        catch (Exception e) when (e is Trainer.Recipes.RecipeException or System.Text.Json.JsonException)
        {
            return false; // the run reports its own recipe error
        }
    }

    private static string Describe(QueuedRun run, string directory, RunProcess process)
    {
        var epochs = 0;
        try
        {
            var metrics = Path.Combine(directory, "metrics.csv");
            if (File.Exists(metrics)) epochs = Math.Max(0, File.ReadLines(metrics).Count() - 1);
        }
        catch (IOException)
        {
            // being written; the next heartbeat reads it
        }
        return string.Create(CultureInfo.InvariantCulture, $"running q{run.Id} {run.Submission.Name}, {epochs} epoch(s) done, {process.Elapsed.TotalMinutes:0.0} min");
    }

    private static string Safe(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('-', '.');
        return safe.Length == 0 ? "run" : safe[..Math.Min(safe.Length, 60)];
    }

    private void SetStatus(int slot, string status)
    {
        lock (slotStatus) slotStatus[slot] = status;
    }

    private void Tick() => Interlocked.Exchange(ref lastTick, Environment.TickCount64);

    private static async Task Delay(TimeSpan delay, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(delay, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
