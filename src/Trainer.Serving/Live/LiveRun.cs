using System.Text.Json;
using System.Threading.Channels;
using Trainer.Control;
using Trainer.Serving.Api;
using Trainer.Training;

namespace Trainer.Serving.Live;

/// <summary>
/// What the server knows about its run: fed by <see cref="LiveRunCallback"/> on the training thread (once per epoch,
/// never per batch) and by the control channel's progress fields; read by the API, the event stream and the meter.
/// </summary>
internal sealed class LiveRun
{
    private readonly Lock gate = new();
    private readonly List<EpochRow> history = [];
    private readonly List<Channel<ServerEvent>> clients = [];
    private string? finalStatus;
    private bool started;
    private int epochs, stepsPerEpoch;
    private double? learningRate;
    private ProgressEvent? lastProgress;

    public LiveRun(string runId, string recipe, string recipeJson, int epochs, DateTimeOffset startedAt, TrainingControl control)
    {
        RunId = runId;
        Recipe = recipe;
        RecipeJson = recipeJson;
        this.epochs = epochs;
        StartedAt = startedAt;
        Control = control;
        control.Applied += OnControlApplied;
    }

    public string RunId { get; }
    public string Recipe { get; }
    public string RecipeJson { get; }
    public DateTimeOffset StartedAt { get; }
    public TrainingControl Control { get; }

    /// <summary>True once the run reached a final status.</summary>
    public bool HasEnded { get { lock (gate) return finalStatus is not null; } }

    public void Started(int totalEpochs, int steps, IEnumerable<EpochMetrics> done, double rate)
    {
        lock (gate)
        {
            started = true;
            epochs = totalEpochs;
            stepsPerEpoch = steps;
            learningRate = rate;
            history.Clear();
            history.AddRange(done.Select(EpochRow.From));
        }
        BroadcastStatus();
    }

    public void EpochStarted(double rate)
    {
        lock (gate) learningRate = rate;
    }

    public void EpochEnded(EpochMetrics metrics)
    {
        var row = EpochRow.From(metrics);
        lock (gate) history.Add(row);
        Broadcast("epoch", row);
    }

    public void Ended(string status)
    {
        lock (gate)
        {
            if (finalStatus is not null) return;
            finalStatus = status;
        }
        BroadcastStatus();
    }

    public IReadOnlyList<EpochRow> History()
    {
        lock (gate) return history.ToArray();
    }

    public LiveRunStatus Status()
    {
        var progress = Control.Progress;
        lock (gate)
        {
            var last = history.Count > 0 ? history[^1] : null;
            var status = finalStatus ?? (!started ? "starting" : progress.Paused ? "paused" : "running");
            double? eta = null;
            if (last is not null && finalStatus is null && stepsPerEpoch > 0)
            {
                var mean = history.Average(r => r.Seconds ?? 0);
                var remaining = Math.Max(0, epochs - history.Count - (progress.Epoch > history.Count ? (double)progress.Batch / stepsPerEpoch : 0));
                eta = remaining * mean;
            }
            return new LiveRunStatus
            {
                RunId = RunId,
                Recipe = Recipe,
                Status = status,
                Epoch = Math.Max(progress.Epoch, history.Count),
                Epochs = epochs,
                Step = progress.Step,
                StepsPerEpoch = stepsPerEpoch,
                Batch = progress.Epoch > history.Count ? progress.Batch : 0,
                EtaSeconds = eta,
                LearningRate = learningRate,
                SamplesPerSecond = last?.SamplesPerSecond,
                LastEpoch = last,
                Best = BestEpoch.Of(history),
                PausedSeconds = progress.PausedSeconds,
                StartedAt = StartedAt,
            };
        }
    }

    /// <summary>The last finished epoch's value of <paramref name="metric"/>, or null.</summary>
    public double? Last(string metric)
    {
        lock (gate) return history.Count > 0 && history[^1].Values.TryGetValue(metric, out var v) ? v : null;
    }

    public double? LearningRate
    {
        get { lock (gate) return learningRate; }
    }

    /// <summary>Publishes a "progress" event when the loop moved since the last one (called about four times a second).</summary>
    public void PublishProgress()
    {
        var p = Control.Progress;
        ProgressEvent now;
        lock (gate)
        {
            if (clients.Count == 0 || !started) return;
            now = new ProgressEvent(p.Epoch, p.Batch, stepsPerEpoch, p.Step);
            if (now == lastProgress) return;
            lastProgress = now;
        }
        Broadcast("progress", now);
    }

    /// <summary>A new event-stream client: gets every event from now on (the oldest are dropped if it falls far behind).</summary>
    public ChannelReader<ServerEvent> Subscribe(out IDisposable subscription)
    {
        var channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(512) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate) clients.Add(channel);
        subscription = new Unsubscribe(this, channel);
        return channel.Reader;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, ServeJson.Options);

    private void OnControlApplied(ControlApplied applied)
    {
        if (applied.Field == MetricNames.LearningRate && applied.NewValue is double rate)
            lock (gate) learningRate = rate;
        Broadcast("control", applied);
        BroadcastStatus();
    }

    private void BroadcastStatus() => Broadcast("status", Status());

    private void Broadcast<T>(string name, T data)
    {
        Channel<ServerEvent>[] targets;
        lock (gate)
        {
            if (clients.Count == 0) return;
            targets = clients.ToArray();
        }
        var message = new ServerEvent(name, Serialize(data));
        foreach (var client in targets) client.Writer.TryWrite(message);
    }

    private sealed class Unsubscribe(LiveRun run, Channel<ServerEvent> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (run.gate) run.clients.Remove(channel);
            channel.Writer.TryComplete();
        }
    }
}
