using Microsoft.Extensions.Configuration;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Data;
using Trainer.Models;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Features;
using Trainer.Hosting.Logging;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Runs;
using Trainer.Recipes;
using Trainer.Tasks;
using Trainer.Training;

namespace Trainer.Hosting;

/// <summary>
/// A run whose input has been checked: configuration bound and validated, callbacks built, run directory created and
/// the resolved recipe written to it. Nothing here touches a tensor.
/// </summary>
public sealed class PreparedRun
{
    private PreparedRun(RecipeSource source, IConfigurationRoot configuration, RecipeOptions recipe,
        IReadOnlyList<TrainingCallback> callbacks, RunInfo run)
    {
        Source = source;
        Configuration = configuration;
        Recipe = recipe;
        Callbacks = callbacks;
        Run = run;
    }

    /// <summary>Where the recipe came from; its folder anchors relative paths.</summary>
    public RecipeSource Source { get; }

    /// <summary>The merged configuration (recipe, environment, overrides).</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>The bound, validated recipe.</summary>
    public RecipeOptions Recipe { get; }

    /// <summary>The run's callbacks, in recipe order.</summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; }

    /// <summary>The run's id and directory.</summary>
    public RunInfo Run { get; }

    /// <summary>When preparation started.</summary>
    public DateTimeOffset StartedAt { get; private init; }

    /// <summary>
    /// Checks everything about <paramref name="request"/> that can be checked without training; throws
    /// <see cref="RecipeException"/> listing every problem, before anything is written.
    /// </summary>
    public static PreparedRun Prepare(RunRequest request, PluginCatalog catalog)
    {
        var started = DateTimeOffset.UtcNow;
        var (configuration, recipe, callbacks, model, dataSource, tasks) = ValidateAll(request, catalog);
        var resolved = ConfigurationJson.ResolvedRecipe(recipe, configuration);
        var run = RunDirectory.Create(recipe.Name, request.RunDirectory, started, request.Resume) with { RecipeJson = resolved };
        var damaged = new List<string>();
        TrainingCheckpoint? resume = null;
        string? resumeFrom = null;
        if (request.Resume) (resume, resumeFrom, damaged) = FindCheckpoint(run.Directory, resolved);
        try
        {
            File.WriteAllText(Path.Combine(run.Directory, Trainer.Runs.RunFiles.Recipe), resolved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"Run directory '{run.Directory}' is not writable: {e.Message}");
        }
        return new PreparedRun(request.Recipe, configuration, recipe, callbacks, run)
        {
            StartedAt = started, Resume = resume, ResumeNotes = resumeFrom is null ? [] : [$"Resuming from '{resumeFrom}'."], DamagedCheckpoints = damaged, Model = model,
            DataSource = dataSource, Tasks = tasks,
        };
    }

    /// <summary>
    /// Binds and checks <paramref name="request"/>'s recipe, callbacks and logging settings without writing anything;
    /// throws <see cref="RecipeException"/> listing every problem.
    /// </summary>
    public static (IConfigurationRoot Configuration, RecipeOptions Recipe, IReadOnlyList<TrainingCallback> Callbacks, IModelFactory? Model) Validate(
        RunRequest request, PluginCatalog catalog)
    {
        var (configuration, recipe, callbacks, model, _, _) = ValidateAll(request, catalog);
        return (configuration, recipe, callbacks, model);
    }

    private static (IConfigurationRoot Configuration, RecipeOptions Recipe, IReadOnlyList<TrainingCallback> Callbacks, IModelFactory? Model, IDataSource? DataSource,
        TaskCatalog Tasks) ValidateAll(RunRequest request, PluginCatalog catalog)
    {
        var (configuration, typed) = RecipeConfiguration.BuildLayers(request.Recipe, request.Overrides, request.AppSettings);

        var errors = new List<string>();
        RecipeOptions? recipe = null;
        IReadOnlyList<TrainingCallback> callbacks = [];
        try { recipe = RecipeBinder.Bind(configuration, typed); }
        catch (RecipeException e) { errors.AddRange(e.Errors); }
        IModelFactory? model = null;
        IDataSource? dataSource = null;
        var tasks = TaskCatalog.BuiltIn;
        try
        {
            catalog = catalog.ForConfiguration(configuration, request.Recipe.BaseDirectory);
            try { callbacks = [.. catalog.CreateCallbacks(configuration), .. request.ExtraCallbacks]; }
            catch (RecipeException e) { errors.AddRange(e.Errors); }
            try { model = catalog.CreateModelFactory(configuration); }
            catch (RecipeException e) { errors.AddRange(e.Errors); }
            try { dataSource = catalog.CreateDataSource(configuration); }
            catch (RecipeException e) { errors.AddRange(e.Errors); }
            try { tasks = catalog.CreateTaskCatalog(); }
            catch (RecipeException e) { errors.AddRange(e.Errors); }
        }
        catch (RecipeException e) { errors.AddRange(e.Errors); }
        if (recipe is not null)
        {
            // Task:Kind, Task:Loss and Task:Metrics against the built-in and plugin losses and metrics, before anything is written.
            var kind = TrainingTask.Parse(recipe.Task, errors);
            tasks.Loss(recipe.Task, kind, errors);
            tasks.Metrics(recipe.Task, kind, errors);
        }
        if (errors.Count == 0) errors.AddRange(CallbackPipeline.Problems(callbacks).Select(p => $"Callbacks: {p}"));
        try { RunLogger.Validate(configuration); }
        catch (RecipeException e) { errors.AddRange(e.Errors); }
        if (request.HostFactory is { } host) errors.AddRange(host.Validate(configuration));
        if (errors.Count > 0) throw new RecipeException(errors);
        RecipeConfiguration.ResolveOverriddenPaths(recipe!, request.Overrides);
        return (configuration, recipe!, callbacks, model, dataSource, tasks);
    }

    /// <summary>This run with <paramref name="callback"/> added after its callbacks (a display, a reporter).</summary>
    public PreparedRun WithCallback(TrainingCallback callback) => Copy([.. Callbacks, callback], Plotter);

    /// <summary>This run drawing its plots with <paramref name="plotter"/> when it ends (null: none).</summary>
    public PreparedRun WithPlotter(IRunPlotter? plotter) => Copy(Callbacks, plotter);

    private PreparedRun Copy(IReadOnlyList<TrainingCallback> callbacks, IRunPlotter? plotter) =>
        new(Source, Configuration, Recipe, callbacks, Run)
        {
            StartedAt = StartedAt, Resume = Resume, ResumeNotes = ResumeNotes, DamagedCheckpoints = DamagedCheckpoints, Model = Model,
            DataSource = DataSource, Tasks = Tasks, Plotter = plotter,
        };

    /// <summary>Draws the run's plots when it ends; null: none are drawn.</summary>
    public IRunPlotter? Plotter { get; private init; }

    /// <summary>The losses and metrics <c>Task</c> can name: the built-in ones and the plugins'.</summary>
    public TaskCatalog Tasks { get; private init; } = TaskCatalog.BuiltIn;

    /// <summary>The plugin model factory named by <c>Model:Type</c>; null for a built-in <c>Model:Kind</c>.</summary>
    public IModelFactory? Model { get; private init; }

    /// <summary>The plugin data source named by <c>Data:Source</c>, built with <c>Data:Options</c>; null for a built-in source.</summary>
    public IDataSource? DataSource { get; private init; }

    /// <summary>
    /// The sources <see cref="TrainingSetup.Create"/> chooses <c>Data:Source</c> from: the built-in ones and, when the recipe
    /// names a plugin, <see cref="DataSource"/>.
    /// </summary>
    public IReadOnlyList<IDataSource> DataSources => DataSource is { } plugin ? [.. DataPipeline.BuiltInSources, plugin] : DataPipeline.BuiltInSources;

    /// <summary>The checkpoint to resume from; null for a fresh run.</summary>
    public TrainingCheckpoint? Resume { get; private init; }

    /// <summary>Where the run resumes from, to be logged.</summary>
    public IReadOnlyList<string> ResumeNotes { get; private init; } = [];

    /// <summary>The damaged checkpoints resuming skipped, one sentence each, to be logged as warnings.</summary>
    public IReadOnlyList<string> DamagedCheckpoints { get; private init; } = [];

    private static (TrainingCheckpoint, string, List<string>) FindCheckpoint(string runDirectory, string resolvedRecipe)
    {
        var folder = Path.Combine(runDirectory, Trainer.Runs.RunFiles.Checkpoints);
        var skipped = new List<string>();
        if (CheckpointStore.FindLatest(folder, skipped) is not { } latest)
            throw new RecipeException(skipped.Count == 0
                ? $"--resume: '{folder}' holds no checkpoint; add a Checkpoint callback to the recipe so runs can be resumed."
                : $"--resume: no valid checkpoint in '{folder}': {string.Join(" ", skipped)}");
        var differences = RecipeComparison.Differences(latest.Checkpoint.RecipeJson, resolvedRecipe);
        if (differences.Count > 0)
            throw new RecipeException($"--resume: the recipe differs from the one '{latest.Path}' was trained with " +
                                      $"({string.Join("; ", differences.Take(5))}{(differences.Count > 5 ? $"; {differences.Count - 5} more" : "")}); " +
                                      $"only {string.Join(", ", RecipeComparison.SafeOnResume)} may change.");
        return (latest.Checkpoint, latest.Path, skipped);
    }
}
