using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Control;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Plugins.Checkpoints;

/// <summary>
/// Writes checkpoints to <c>RUN_DIR/checkpoints/</c>: every N epochs, every N minutes (mid-epoch too), <c>best.ckpt</c>
/// by a monitored metric, and a final one when training ends or is interrupted — never after a failure, so the last
/// good one stays the latest. Keeps the last K. Each is written atomically and carries everything needed for an exact
/// resume (<c>trainer run RECIPE --run-dir DIR --resume</c>).
/// </summary>
[CallbackName("Checkpoint")]
public sealed partial class CheckpointCallback : TrainingCallback, IStatefulCallback, ICheckpointOnDemand
{
    private readonly CheckpointOptions options;
    private readonly MetricMonitor? monitor;
    private readonly HookFilter every;
    private readonly Stopwatch sinceLast = Stopwatch.StartNew();
    private readonly HashSet<string> damaged = new(StringComparer.Ordinal);
    private HashSet<string>? verified;
    private double best;

    /// <summary>Creates the callback.</summary>
    public CheckpointCallback(CheckpointOptions options)
    {
        this.options = options;
        every = HookFilter.EveryN(options.EveryEpochs);
        if (!string.IsNullOrWhiteSpace(options.Monitor)) monitor = new MetricMonitor(options.Monitor, options.Mode);
        best = monitor?.Worst ?? double.NaN;
    }


    /// <inheritdoc />
    public string StateKey => "Checkpoint";

    /// <summary>The checkpoint files written so far by this instance, oldest first.</summary>
    public List<string> Written { get; } = [];

    /// <summary>The checkpoint folder of a run directory.</summary>
    public static string FolderOf(string runDirectory) => Path.Combine(runDirectory, CheckpointDefaults.Folder);

    /// <inheritdoc />
    public override void OnTrainStart(TrainContext context)
    {
        var folder = FolderOf(context.RunDirectory);
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, ".write-test");
            File.WriteAllBytes(probe, [0]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"Checkpoint folder '{folder}' is not writable: {e.Message}");
        }

        var needed = EstimateBytes(context.Model) * (options.KeepLast + (monitor is null ? 1 : 2));
        var free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace; // statvfs of the folder's own file system
        if (free < needed)
            throw new RecipeException($"Not enough disk space for checkpoints in '{folder}': about {needed / 1048576.0:0.0} MB needed " +
                                      $"for {options.KeepLast} checkpoints, {free / 1048576.0:0.0} MB free. Free space or lower KeepLast.");
        sinceLast.Restart();
        VerifyExisting(context, folder);
    }

    /// <summary>
    /// Checks the checkpoints already in the folder (a resumed run's, or files put there) once: a damaged one is reported
    /// as a warning and never counts toward <c>KeepLast</c>, so it can neither push out a good checkpoint nor be kept in
    /// its place.
    /// </summary>
    private void VerifyExisting(CallbackContext context, string folder)
    {
        verified = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(folder, "epoch-*" + CheckpointFile.Extension))
        {
            try
            {
                CheckpointFile.Read(path);
                verified.Add(path);
            }
            catch (RecipeException e)
            {
                damaged.Add(path);
                Log.Damaged(context.Logger, path, e.Message);
            }
        }
    }

    /// <inheritdoc />
    public override void OnBatchEnd(BatchContext context)
    {
        if (options.EveryMinutes > 0 && sinceLast.Elapsed.TotalMinutes >= options.EveryMinutes) context.AfterHook(() => Save(context, "time"));
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context) =>
        // After every callback's OnEpochEnd, so the states saved (early stopping's counters, …) include this epoch.
        context.AfterHook(() => SaveAtEpochEnd(context));

    private void SaveAtEpochEnd(EpochContext context)
    {
        if (monitor is not null)
        {
            var value = context.RequireMetric(monitor.Metric, "Checkpoint Monitor");
            if (double.IsFinite(value) && monitor.IsImprovement(value, best))
            {
                best = value;
                Write(context, "best", Path.Combine(FolderOf(context.RunDirectory), CheckpointDefaults.BestFile), keep: false);
            }
        }
        if (every.IsDue(context.Epoch)) Save(context, "epoch");
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainEndContext context)
    {
        // Saved at once, not after the hook: callbacks swap in other weights for the test evaluation (best, averaged)
        // only after every OnTrainEnd, and the checkpoint must hold the live ones to continue from.
        if (options.SaveOnStop && context.Status != RunStatus.Failed)
            Save(context, context.Status switch { RunStatus.Interrupted => "interrupt", RunStatus.Stopped => "stop", _ => "final" });
    }

    /// <summary>Writes a checkpoint now (a control command's "checkpoint"), kept like the periodic ones; returns its path.</summary>
    public string? CheckpointNow(CallbackContext context, string reason) => Save(context, reason);

    /// <inheritdoc />
    public CallbackState SaveState() => new CallbackState().Set("best", best);

    /// <inheritdoc />
    public void LoadState(CallbackState state) => best = state.GetDouble("best");

    private string? Save(CallbackContext context, string reason)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"epoch-{context.History.Count:D4}-step-{context.GlobalStep:D8}{CheckpointFile.Extension}");
        var path = Path.Combine(FolderOf(context.RunDirectory), name);
        if (Written.Count > 0 && Written[^1] == path) return path; // nothing trained since the last one
        return Write(context, reason, path, keep: true) ? path : null;
    }

    private bool Write(CallbackContext context, string reason, string path, bool keep)
    {
        if (context.NonFiniteStep is { } bad)
        {
            Log.Skipped(context.Logger, reason, bad);
            return false;
        }
        var clock = Stopwatch.StartNew();
        context.WriteCheckpoint(path, reason);
        sinceLast.Restart();
        Log.Written(context.Logger, reason, path, context.History.Count, context.GlobalStep, clock.Elapsed.TotalSeconds);
        if (!keep) return true;
        Written.Add(path);
        verified?.Add(path);
        // Only checkpoints known to be good count: those this run wrote and those it checked at its start. A file that
        // appeared since, or a damaged one, is left alone and never pushes out a good one.
        foreach (var old in Directory.GetFiles(FolderOf(context.RunDirectory), "epoch-*" + CheckpointFile.Extension)
                     .Where(f => verified?.Contains(f) ?? Written.Contains(f)).OrderBy(Position).SkipLast(options.KeepLast))
        {
            File.Delete(old);
            verified?.Remove(old);
        }
        return true;
    }

    /// <summary>(epochs, step) parsed from "epoch-E-step-S.ckpt", so ordering never depends on the digits' width.</summary>
    private static (long Epochs, long Step) Position(string path)
    {
        var parts = Path.GetFileNameWithoutExtension(path).Split('-');
        return parts.Length == 4 && long.TryParse(parts[1], out var e) && long.TryParse(parts[3], out var s) ? (e, s) : (-1, -1);
    }

    private static long EstimateBytes(nn.Module model) =>
        model.state_dict().Values.Sum(t => t.numel() * t.element_size()) * 3 + 1_048_576; // weights, two optimizer moments, headroom

    private static partial class Log
    {
        [LoggerMessage(341, LogLevel.Warning, "Checkpoint ({CheckpointReason}) skipped: the loss became NaN or infinite at step {NonFiniteStep}; the last good checkpoint stays the latest")]
        public static partial void Skipped(ILogger logger, string checkpointReason, long nonFiniteStep);

        [LoggerMessage(342, LogLevel.Warning, "Checkpoint {CheckpointPath} is damaged and is left out of KeepLast (it is neither kept in place of a good one nor deleted): {Problem}")]
        public static partial void Damaged(ILogger logger, string checkpointPath, string problem);

        [LoggerMessage(340, LogLevel.Information, "Checkpoint ({CheckpointReason}) {CheckpointPath} after {CompletedEpochs} epochs, step {GlobalStep}, in {WriteSeconds:0.000}s")]
        public static partial void Written(ILogger logger, string checkpointReason, string checkpointPath, int completedEpochs, long globalStep, double writeSeconds);
    }
}
