using System.Collections.Concurrent;
using System.Diagnostics;

namespace Trainer.Control;

/// <summary>
/// A thread-safe channel into a running <see cref="Training.TrainingLoop"/>: any thread submits commands (set the learning
/// rate, pause, resume, checkpoint now, stop); the loop applies them itself at the start of the next batch, never from
/// the submitting thread. The loop also publishes its progress here (epoch, batch, step: plain fields written once per
/// batch, no device sync), which status pages, health checks and metrics read.
/// </summary>
public sealed class TrainingControl : IDisposable
{
    private readonly ConcurrentQueue<ControlCommand> pending = new();
    private readonly SemaphoreSlim wake = new(0);
    private readonly CancellationTokenSource stop = new();
    private int hasPending;
    private int epoch, batch;
    private long step, lastProgress = Stopwatch.GetTimestamp(), pausedTicks;
    private double learningRate = double.NaN;
    private volatile bool paused, ended;

    /// <summary>Creates the channel.</summary>
    /// <param name="checkpointAvailable">Whether the run has a callback that can checkpoint on demand (<see cref="ICheckpointOnDemand"/>).</param>
    public TrainingControl(bool checkpointAvailable) => CheckpointAvailable = checkpointAvailable;

    /// <summary>Whether "checkpoint now" can be done: the run has a Checkpoint callback.</summary>
    public bool CheckpointAvailable { get; }

    /// <summary>
    /// The learning rates a command may set, directly or by a factor (<c>Serve:MinLearningRate</c>,
    /// <c>Serve:MaxLearningRate</c>): a command outside them is refused when submitted, so whatever is accepted is applied.
    /// Default: 1e-10 to 10.
    /// </summary>
    public (double Min, double Max) LearningRateRange { get; init; } = (1e-10, 10);

    /// <summary>The learning rate of the last step, as the loop published it; NaN before the first.</summary>
    public double LearningRate => Volatile.Read(ref learningRate);

    /// <summary>True once a stop command was applied.</summary>
    public bool StopApplied { get; private set; }

    /// <summary>
    /// Raised on the training thread after a command was applied. Handlers must be quick and must not throw (queue
    /// the event elsewhere); an exception from one is not the run's failure and is ignored.
    /// </summary>
    public event Action<ControlApplied>? Applied;

    /// <summary>The loop's progress as last published.</summary>
    public TrainingProgress Progress => new(Volatile.Read(ref epoch), Volatile.Read(ref batch), Interlocked.Read(ref step),
        Stopwatch.GetElapsedTime(Interlocked.Read(ref lastProgress)).TotalSeconds, paused,
        TimeSpan.FromTicks(Interlocked.Read(ref pausedTicks)).TotalSeconds, ended);

    /// <summary>
    /// Checks <paramref name="command"/> and queues it for the next batch boundary; a refusal names the field and
    /// nothing changes. Thread-safe.
    /// </summary>
    public ControlResult Submit(ControlCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Validate() is { } problem) return ControlResult.Refused(ControlRejection.Invalid, problem.Field, problem.Message);
        if (ended) return ControlResult.Refused(ControlRejection.Ended, "action", "The run has ended; it can no longer be changed.");
        if (command.Action == ControlAction.LearningRate && RangeProblem(command) is { } range)
            return ControlResult.Refused(ControlRejection.Invalid, range.Field, range.Message);
        if (command.Action == ControlAction.Checkpoint && !CheckpointAvailable)
            return ControlResult.Refused(ControlRejection.Unavailable, "action",
                "The run has no Checkpoint callback, so it cannot checkpoint now; add { \"Type\": \"Checkpoint\" } to the recipe's Callbacks.");
        pending.Enqueue(command);
        Volatile.Write(ref hasPending, 1);
        wake.Release();
        return ControlResult.Queued;
    }

    /// <summary>The problem with the rate <paramref name="command"/> would set, or null when it is inside <see cref="LearningRateRange"/>.</summary>
    internal (string Field, string Message)? RangeProblem(ControlCommand command)
    {
        var (min, max) = LearningRateRange;
        var current = LearningRate;
        var next = command.Value ?? current * command.Factor!.Value;
        if (double.IsNaN(next) || (next >= min && next <= max)) return null; // NaN: no step yet, the loop checks when it applies
        var field = command.Value is null ? "factor" : "value";
        var what = command.Value is null
            ? $"factor {command.Factor!.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} " +
              $"would make the learning rate {next.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}"
            : $"value {next.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}";
        return (field, $"{what}, outside the accepted {min.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} to " +
                       $"{max.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} (Serve:MinLearningRate, Serve:MaxLearningRate); nothing changed.");
    }

    /// <summary>Publishes the learning rate the current step trains at (a field write).</summary>
    internal void PublishLearningRate(double rate) => Volatile.Write(ref learningRate, rate);

    /// <summary>Cancelled when a stop command is applied; the loop links it with the host's token.</summary>
    internal CancellationToken StopToken => stop.Token;

    internal bool Paused { get => paused; set => paused = value; }

    /// <summary>Seconds spent paused so far.</summary>
    internal double PausedSeconds => TimeSpan.FromTicks(Interlocked.Read(ref pausedTicks)).TotalSeconds;

    /// <summary>Publishes the loop's position; called once per batch, so it only writes fields.</summary>
    internal void Publish(int epochNow, int batchNow, long stepNow)
    {
        Volatile.Write(ref epoch, epochNow);
        Volatile.Write(ref batch, batchNow);
        Interlocked.Exchange(ref step, stepNow);
        Interlocked.Exchange(ref lastProgress, Stopwatch.GetTimestamp());
    }

    /// <summary>True when commands are waiting: one read per batch on the fast path.</summary>
    internal bool HasPending => Volatile.Read(ref hasPending) != 0;

    internal bool TryTake(out ControlCommand command)
    {
        Volatile.Write(ref hasPending, 0);
        if (pending.TryDequeue(out command!))
        {
            if (!pending.IsEmpty) Volatile.Write(ref hasPending, 1);
            return true;
        }
        return false;
    }

    /// <summary>Waits until a command arrives or <paramref name="token"/> is cancelled; returns false when cancelled.</summary>
    internal bool WaitForCommand(CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (pending.IsEmpty) wake.Wait(token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Interlocked.Add(ref pausedTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    internal void RequestStop()
    {
        StopApplied = true;
        stop.Cancel();
    }

    internal void Raise(ControlApplied applied)
    {
        try
        {
            Applied?.Invoke(applied);
        }
        catch (Exception)
        {
            // An observer's failure (a closed client) is not the run's.
        }
    }

    /// <summary>Marks the loop as returned: later commands are refused with <see cref="ControlRejection.Ended"/>.</summary>
    internal void End()
    {
        ended = true;
        paused = false;
        Interlocked.Exchange(ref lastProgress, Stopwatch.GetTimestamp());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        wake.Dispose();
        stop.Dispose();
    }
}
