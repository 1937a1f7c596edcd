using Trainer.Hosting;
using System.Diagnostics;
using System.Globalization;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Features;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Runs;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Search;

namespace Trainer.Search;

/// <summary>
/// Runs a hyperparameter search: each worker takes the next trial from the study store, samples its values on the
/// space's own scales, trains it as one more configuration layer over the recipe (validated like any recipe; an
/// invalid sample is a failed trial), reports every epoch for pruning, and records the result. With several workers,
/// the others are child processes of the same program sharing the store; intra-op threads are split among them.
/// </summary>
/// <param name="catalog">The plugins the recipe may name.</param>
/// <param name="output">Where each trial's line and the study's report go.</param>
/// <param name="error">Where user errors go, one line each.</param>
/// <param name="features">Plots for each trial's run, when present (default: <see cref="RunFeatures.None"/>).</param>
/// <param name="studyPlotter">Draws the study's plots; null: none.</param>
public sealed class SearchRunner(PluginCatalog catalog, TextWriter output, TextWriter error, RunFeatures? features = null, IStudyPlotter? studyPlotter = null)
{
    private readonly RunSequence runs = new(catalog, features ?? RunFeatures.None);

    /// <summary>Runs the search; returns an <see cref="ExitCodes"/> value.</summary>
    /// <param name="request">The search to run.</param>
    /// <param name="childArguments">How to start a child worker, given the worker count: the program and its arguments (for <see cref="SearchRequest.Workers"/> &gt; 1).</param>
    /// <param name="cancellationToken">Stops after the current trial's current batch.</param>
    public async Task<int> RunAsync(SearchRequest request, Func<string, IReadOnlyList<string>>? childArguments = null, CancellationToken cancellationToken = default)
    {
        SearchSpec spec;
        RecipeOptions recipe;
        string storagePath, outDirectory;
        try
        {
            var (configuration, typed) = RecipeConfiguration.BuildLayers(request.Recipe, request.Overrides);
            recipe = RecipeBinder.Bind(configuration, typed);
            spec = SearchSpecParser.Parse(configuration, recipe, request.Trials, catalog.ForConfiguration(configuration, request.Recipe.BaseDirectory));
            storagePath = request.Storage ?? $"sqlite:{Path.GetFullPath(Path.Combine("runs", "studies.db"))}";
            outDirectory = Path.GetFullPath(request.OutDirectory ?? Path.Combine("runs", "studies", spec.Study));
            if (request.Workers < 1) throw new RecipeException($"--workers must be at least 1 (got {request.Workers}).");
        }
        catch (RecipeException e)
        {
            foreach (var line in e.Errors) await error.WriteLineAsync($"error: {line}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        IStudyStore store;
        try
        {
            store = OpenStore(request.Storage);
            store.EnsureStudy(spec.Study, spec.Objective, spec.Maximize, spec.SpaceJson, spec.IsMultiObjective ? spec.Objectives : null);
        }
        catch (RecipeException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        using var owned = store;

        var threads = Math.Max(1, Environment.ProcessorCount / request.Workers).ToString(CultureInfo.InvariantCulture);
        var children = new List<Process>();
        if (!request.ChildWorker && request.Workers > 1 && childArguments is not null)
            for (var w = 1; w < request.Workers; w++)
                children.Add(StartChild(childArguments(request.Workers.ToString(CultureInfo.InvariantCulture)), outDirectory, w, storagePath));

        var worker = $"{Environment.MachineName}:{Environment.ProcessId}";
        var gaveUp = false;
        var interrupted = false;
        var failures = 0; // this run's: a resumed study is not stopped by failures of earlier runs
        using var stopChildren = cancellationToken.Register(() => children.ForEach(Interrupt));
        while (!cancellationToken.IsCancellationRequested)
        {
            if (failures >= spec.MaxFailures)
            {
                gaveUp = true;
                break;
            }
            FailTrialsOfDeadLocalWorkers(store, spec.Study);
            TrialRecord? trial;
            try
            {
                trial = store.StartTrial(spec.Study, spec.Trials, worker, spec.StaleAfter, (number, finished) => Sample(spec, number, finished));
            }
            catch (RecipeException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                children.ForEach(Interrupt);
                return ExitCodes.Failed;
            }
            if (trial is null) break;
            var (state, trialInterrupted) = await RunTrialAsync(request, spec, store, trial, outDirectory, threads, cancellationToken).ConfigureAwait(false);
            if (trialInterrupted)
            {
                // The trial's host took the signal (Ctrl+C, SIGTERM): the whole search stops, as the user asked.
                interrupted = true;
                children.ForEach(Interrupt);
                break;
            }
            if (state == TrialState.Failed) failures++;
        }

        var childProblems = new List<string>();
        for (var w = 0; w < children.Count; w++)
        {
            var child = children[w];
            await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (child.ExitCode == ExitCodes.Failed)
                childProblems.Add($"worker {w + 1} stopped after {spec.MaxFailures} failed trials (Search:MaxFailures)");
            else if (child.ExitCode is not (ExitCodes.Completed or ExitCodes.Interrupted))
                childProblems.Add($"worker {w + 1} (process {child.Id}) exited with code {child.ExitCode}");
            child.Dispose();
        }
        interrupted |= cancellationToken.IsCancellationRequested;
        if (request.ChildWorker) return gaveUp ? ExitCodes.Failed : interrupted ? ExitCodes.Interrupted : ExitCodes.Completed;

        var trials = store.Trials(spec.Study);
        StudyReport.Write(outDirectory, spec, trials, store.ReportedValues(spec.Study));
        WritePlots(outDirectory, spec, trials);
        StudyReport.Print(output, spec, trials);
        await output.WriteLineAsync($"Study files: {outDirectory}").ConfigureAwait(false);
        if (gaveUp) childProblems.Insert(0, $"this worker stopped after {spec.MaxFailures} failed trials (Search:MaxFailures)");
        if (childProblems.Count > 0 && !interrupted)
        {
            foreach (var problem in childProblems)
                await error.WriteLineAsync($"error: {problem}; see the trials' failures with 'trainer report' and their summary.json.").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        if (interrupted)
            await output.WriteLineAsync("Interrupted: the trials in progress are stored as interrupted; run the same search again to resume them.").ConfigureAwait(false);
        return interrupted ? ExitCodes.Interrupted : ExitCodes.Completed;
    }

    private void WritePlots(string outDirectory, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        if (studyPlotter is null) return;
        try
        {
            studyPlotter.PlotStudy(outDirectory, spec, trials);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TypeInitializationException or DllNotFoundException)
        {
            error.WriteLine($"warning: the study's plots could not be written: {e.Message}"); // the study's results stand without them
        }
    }

    /// <summary>The trial's values for trial <paramref name="number"/>, from the sampler's point on each dimension's scale.</summary>
    /// <param name="spec">The search.</param>
    /// <param name="number">The new trial's number.</param>
    /// <param name="trials">The study's trials so far, in any state.</param>
    public static (IReadOnlyDictionary<string, string> Parameters, double[] Point) Sample(SearchSpec spec, int number, IReadOnlyList<TrialRecord> trials)
    {
        // A trial pruned for a non-finite objective (diverged) counts as the worst there is, as in Optuna: samplers learn to avoid it.
        var worst = spec.Maximize ? double.NegativeInfinity : double.PositiveInfinity;
        var finished = trials.Where(t => t.State == TrialState.Pruned || (t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v))).ToList();
        var context = new SamplerContext(number, spec.Space.Count, spec.Seed,
            finished.Select(t => (t.Number, t.Point, t.Value is { } v && double.IsFinite(v) ? v : worst)).ToList(), spec.Maximize)
        {
            Pruned = finished.Where(t => t.State == TrialState.Pruned).Select(t => t.Number).ToHashSet(),
            PrunedAtEpoch = finished.Where(t => t.State == TrialState.Pruned && t.LastEpoch is not null).ToDictionary(t => t.Number, t => t.LastEpoch!.Value),
            Running = trials.Where(t => t.State is TrialState.Running or TrialState.Interrupted && t.Point.Length == spec.Space.Count).Select(t => t.Point).ToList(),
            ObjectiveValues = spec.IsMultiObjective
                ? finished.Where(t => t.State == TrialState.Complete && t.Values?.Length == spec.Objectives.Count && t.Values.All(double.IsFinite))
                    .ToDictionary(t => t.Number, t => t.Values!)
                : null,
            ObjectiveMaximize = spec.IsMultiObjective ? spec.Objectives.Select(o => o.Maximize).ToList() : null,
        };
        double[] point;
        try
        {
            point = spec.Sampler.Next(context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
        {
            throw new RecipeException($"Search:Sampler failed to give trial {number} a point: {e.Message}");
        }
        if (point.Length != spec.Space.Count || point.Any(x => !(x is >= 0 and < 1)))
            throw new RecipeException($"Search:Sampler gave trial {number} a point of {point.Length} coordinates outside [0, 1) or of the wrong count; " +
                                      $"a sampler must give {spec.Space.Count}, each in [0, 1).");
        var parameters = new Dictionary<string, string>();
        for (var d = 0; d < spec.Space.Count; d++)
            parameters[spec.Space[d].Path] = Convert.ToString(spec.Space[d].Distribution.FromUnit(point[d]), CultureInfo.InvariantCulture)!;
        return (parameters, point);
    }

    /// <summary>Marks failed the running trials of workers on this machine whose process is gone (no need to wait for staleness).</summary>
    private static void FailTrialsOfDeadLocalWorkers(IStudyStore store, string study)
    {
        foreach (var trial in store.Trials(study).Where(t => t.State == TrialState.Running))
        {
            var parts = trial.Worker.Split(':');
            if (parts.Length != 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid)) continue;
            if (ProcessIsAlive(pid)) continue;
            store.Finish(study, trial.Number, TrialState.Failed, null, $"its worker process {pid} is gone (killed or crashed)");
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Interrupt(Process child)
    {
        try
        {
            if (child.HasExited) return;
            if (OperatingSystem.IsWindows()) child.Kill(entireProcessTree: true);
            else Process.Start("kill", ["-TERM", child.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    private async Task<(TrialState State, bool Interrupted)> RunTrialAsync(SearchRequest request, SearchSpec spec, IStudyStore store, TrialRecord trial, string outDirectory,
        string threads, CancellationToken cancellationToken)
    {
        var runDirectory = trial.RunDirectory ?? Path.Combine(outDirectory, "trials", $"trial-{trial.Number:D4}");
        // A trial interrupted before goes on from its last checkpoint; without one it starts again, its earlier attempt kept aside.
        var resume = ResumeOrSetAside(runDirectory);
        store.SetRunDirectory(spec.Study, trial.Number, runDirectory);
        var reporter = new SearchTrialCallback(store, spec, trial.Number);
        // A heartbeat on its own connection, so a long epoch never makes the trial look abandoned.
        using var heartbeatStore = OpenStore(request.Storage);
        using var heartbeat = new Timer(_ =>
        {
            try { heartbeatStore.Heartbeat(spec.Study, trial.Number); }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException) { /* the next beat retries */ }
        }, null, spec.StaleAfter / 4, spec.StaleAfter / 4);
        var overrides = request.Overrides.Concat([$"--Training:Threads={threads}"])
            .Concat(trial.Parameters.Select(p => $"--{p.Key}={p.Value}")).ToList();
        var trialErrors = new StringWriter();
        var clock = Stopwatch.StartNew();
        var code = await runs.RunNextAsync(new RunRequest
        {
            Recipe = request.Recipe, Overrides = overrides, RunDirectory = runDirectory, Console = false, ExtraCallbacks = [reporter], Resume = resume,
        }, trialErrors, cancellationToken).ConfigureAwait(false);

        RunSummary? summary = File.Exists(Path.Combine(runDirectory, RunSummaryFile.FileName)) ? RunSummaryFile.Read(runDirectory) : null;
        var value = reporter.Score ?? (summary?.Metrics.TryGetValue(spec.Objective, out var v) == true ? v : null);
        var values = reporter.ScoreValues is { } vector && vector.All(double.IsFinite) ? vector : null;
        var (state, failure) = code switch
        {
            ExitCodes.Completed when summary?.StopReason == SearchTrialCallback.PrunedReason => (TrialState.Pruned, (string?)null),
            ExitCodes.Completed when value is { } finite && double.IsFinite(finite) && (values is not null || !spec.IsMultiObjective) => (TrialState.Complete, null),
            ExitCodes.Completed when spec.IsMultiObjective =>
                (TrialState.Failed, $"the objectives {string.Join(", ", spec.Objectives.Select(o => o.Metric))} were not all logged and finite"),
            ExitCodes.Completed => (TrialState.Failed, $"the objective {spec.Objective} was not logged or not finite"),
            ExitCodes.Interrupted => (TrialState.Interrupted, "interrupted (Ctrl+C, SIGTERM or service stop); the next search run resumes it"),
            _ => (TrialState.Failed, summary?.Error ?? trialErrors.ToString().Replace("error: ", "", StringComparison.Ordinal).Trim()),
        };
        store.Finish(spec.Study, trial.Number, state, value, failure, values);
        var shown = values is null ? $"{spec.Objective} {value?.ToString("G6", CultureInfo.InvariantCulture) ?? "-"}"
            : string.Join(", ", spec.Objectives.Select((o, i) => $"{o.Metric} {values[i].ToString("G6", CultureInfo.InvariantCulture)}"));
        await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "trial {0,4}: {1} → {2} ({3}, {4:0.0} s){5}",
            trial.Number, StudyReport.Parameters(trial), shown,
            state.ToString().ToLowerInvariant(), clock.Elapsed.TotalSeconds, failure is null ? "" : $": {failure}")).ConfigureAwait(false);
        return (state, code == ExitCodes.Interrupted);
    }

    /// <summary>
    /// True when <paramref name="runDirectory"/> holds an earlier attempt with a checkpoint to resume from; an attempt
    /// without one is moved to a sibling folder (<c>trial-0003.attempt-1</c>), so the trial starts in an empty folder.
    /// </summary>
    private static bool ResumeOrSetAside(string runDirectory)
    {
        if (!Directory.Exists(runDirectory) || !Directory.EnumerateFileSystemEntries(runDirectory).Any()) return false;
        var checkpoints = Path.Combine(runDirectory, RunFiles.Checkpoints);
        if (Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints, "*" + Trainer.Checkpoints.CheckpointFile.Extension).Any()) return true;
        var attempt = 1;
        while (Directory.Exists($"{runDirectory}.attempt-{attempt}")) attempt++;
        Directory.Move(runDirectory, $"{runDirectory}.attempt-{attempt}");
        return false;
    }

    /// <summary>The environment variable through which a parent hands its store to child workers.</summary>
    public const string StorageVariable = "TRAINER_SEARCH_STORAGE";

    /// <summary>Opens the store named by <c>--storage</c>: <c>sqlite:PATH</c> (default <c>runs/studies.db</c>) or <c>postgres:CONNECTION</c>.</summary>
    public static IStudyStore OpenStore(string? storage)
    {
        if (storage is null) return new SqliteStudyStore(Path.Combine("runs", "studies.db"));
        if (storage.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) return new SqliteStudyStore(storage["sqlite:".Length..]);
        if (storage.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase)) return new PostgresStudyStore(storage["postgres:".Length..]);
        throw new RecipeException($"--storage '{storage}' is not supported; use sqlite:PATH or postgres:CONNECTION.");
    }

    private static Process StartChild(IReadOnlyList<string> arguments, string outDirectory, int index, string storage)
    {
        var start = new ProcessStartInfo(arguments[0]) { UseShellExecute = false, RedirectStandardOutput = false };
        start.Environment[StorageVariable] = storage; // not on the command line, where a PostgreSQL password would show
        foreach (var argument in arguments.Skip(1)) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(outDirectory);
        start.Environment["TRAINER_SEARCH_WORKER"] = index.ToString(CultureInfo.InvariantCulture);
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start a search worker.");
    }
}
