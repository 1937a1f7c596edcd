using System.Globalization;
using System.Text.Json;
using Trainer.Hosting.Features;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Runs;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Training;

namespace Trainer.Hosting.Experiments;

/// <summary>
/// Runs an experiment: checks every variant before any runs, then trains them one after another, each as an
/// ordinary run in <c>variants/NAME/</c>, and writes <c>experiment.json</c>, <c>comparison.csv</c> and overlaid
/// <c>plots/</c> in the experiment directory. A variant that fails in training (a diverging learning rate) is a
/// result, not the experiment's failure; an interrupt ends the experiment after the running variant.
/// </summary>
/// <param name="catalog">The plugins the recipe may name.</param>
/// <param name="output">Where progress and the comparison table go.</param>
/// <param name="error">Where user errors go, one line each.</param>
/// <param name="features">Plots and a live display, when present (default: <see cref="RunFeatures.None"/>).</param>
public sealed class ExperimentRunner(PluginCatalog catalog, TextWriter output, TextWriter error, RunFeatures? features = null)
{
    private readonly RunFeatures features = features ?? RunFeatures.None;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The folder of the variants' run directories inside an experiment directory.</summary>
    public const string VariantsFolder = "variants";

    /// <summary>
    /// Runs <paramref name="request"/>; returns 0 when every variant ran to an end (completed, stopped early or failed in
    /// training), 1 when every variant failed, 2 for invalid input (found before the first variant trains, or by the first
    /// variant, such as a missing data file: the others are not run), 130 when interrupted.
    /// </summary>
    public async Task<int> RunAsync(ExperimentRequest request, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        ExperimentSpec spec;
        RunInfo directory;
        try
        {
            spec = ExperimentSpecParser.Parse(request.Recipe);
            Validate(spec, request);
            directory = RunDirectory.Create(spec.Name, request.RunDirectory, started, request.Resume);
        }
        catch (RecipeException e)
        {
            foreach (var line in e.Errors) await error.WriteLineAsync($"error: {line}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var record = new ExperimentRecord
        {
            Name = spec.Name,
            Recipe = request.Recipe.DisplayName,
            Objective = spec.Objective,
            StartedAt = started,
            Variants = spec.Variants.Select(v => new ExperimentVariantRecord
            {
                Name = v.Name, Overrides = v.Overrides, Directory = $"{VariantsFolder}/{v.Folder}",
            }).ToList(),
        };
        Save(directory.Directory, record);
        await output.WriteLineAsync($"Experiment '{spec.Name}': {spec.Variants.Count} variants in {directory.Directory}").ConfigureAwait(false);

        var runs = new RunSequence(catalog, features);
        var interrupted = false;
        var invalidInput = false;
        for (var i = 0; i < spec.Variants.Count; i++)
        {
            var variant = spec.Variants[i];
            var line = record.Variants[i];
            if (interrupted || cancellationToken.IsCancellationRequested)
            {
                line.Status = ExperimentVariantRecord.NotRun;
                continue;
            }
            var runDirectory = Path.Combine(directory.Directory, VariantsFolder, variant.Folder);
            var resume = false;
            if (request.Resume && ResumeDecision(runDirectory) is var decision)
            {
                if (decision == Decision.Keep)
                {
                    FillSafely(line, runDirectory, spec.Objective, exitCode: 0);
                    await output.WriteLineAsync($"[{i + 1}/{spec.Variants.Count}] {variant.Name}: kept ({line.Status})").ConfigureAwait(false);
                    continue;
                }
                resume = decision == Decision.Resume;
            }
            await output.WriteLineAsync($"[{i + 1}/{spec.Variants.Count}] {variant.Name}: {Describe(variant)}").ConfigureAwait(false);
            var run = new RunRequest
            {
                Recipe = VariantSource(request, variant),
                Overrides = request.Overrides,
                RunDirectory = runDirectory,
                Resume = resume,
                AppSettings = request.AppSettings,
                Console = request.Console,
                LiveProgress = request.LiveProgress,
            };
            if (resume) SetAsidePreviousSummary(runDirectory); // a resume that fails early must not show the earlier attempt's status
            var exitCode = await runs.RunNextAsync(run, error, cancellationToken).ConfigureAwait(false);
            FillSafely(line, runDirectory, spec.Objective, exitCode);
            record.DurationSeconds = (DateTimeOffset.UtcNow - started).TotalSeconds;
            Save(directory.Directory, record);
            interrupted = exitCode == ExitCodes.Interrupted;
            // Input that only shows when training starts (a missing data file) fails every variant alike: stop at the first.
            invalidInput = exitCode == ExitCodes.InvalidInput;
            if (invalidInput) interrupted = true;
        }
        record.DurationSeconds = (DateTimeOffset.UtcNow - started).TotalSeconds;
        Save(directory.Directory, record);

        ComparisonTable.WriteCsv(Path.Combine(directory.Directory, ComparisonTable.FileName), record);
        try
        {
            if (features.Plotter is { } plotter)
                plotter.PlotExperiment(directory.Directory, spec, record,
                    spec.Variants.ToDictionary(v => v.Name, v => History(Path.Combine(directory.Directory, VariantsFolder, v.Folder, RunFiles.Metrics))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TypeInitializationException or DllNotFoundException)
        {
            await error.WriteLineAsync($"warning: the experiment's plots could not be written: {e.Message}").ConfigureAwait(false);
        }
        await output.WriteLineAsync(ComparisonTable.Text(record)).ConfigureAwait(false);
        await output.WriteLineAsync($"Experiment '{spec.Name}' finished in {record.DurationSeconds:F1} s: {directory.Directory}").ConfigureAwait(false);

        if (invalidInput) return ExitCodes.InvalidInput;
        if (interrupted || cancellationToken.IsCancellationRequested) return ExitCodes.Interrupted;
        return record.Variants.All(v => v.Status == "failed") ? ExitCodes.Failed : ExitCodes.Completed;
    }

    /// <summary>Checks every variant as a run would, so that a mistake in the last one is found before the first trains.</summary>
    private void Validate(ExperimentSpec spec, ExperimentRequest request)
    {
        var problems = new List<(string Variant, string Error)>();
        foreach (var variant in spec.Variants)
        {
            try
            {
                _ = PreparedRun.Validate(new RunRequest
                {
                    Recipe = VariantSource(request, variant), Overrides = request.Overrides, AppSettings = request.AppSettings,
                }, catalog);
            }
            catch (RecipeException e)
            {
                problems.AddRange(e.Errors.Select(line => (variant.Name, line)));
            }
        }
        if (problems.Count == 0) return;
        // A mistake every variant shares is the base recipe's: report it once, without a variant name.
        var messages = problems.GroupBy(p => p.Error)
            .SelectMany(g => g.Count() == spec.Variants.Count ? [g.Key] : g.Select(p => $"{ExperimentSpecParser.VariantsSection}:{p.Variant}: {p.Error}"))
            .Distinct().ToList();
        throw new RecipeException(messages);
    }

    private static Configuration.RecipeSource VariantSource(ExperimentRequest request, ExperimentVariant variant) =>
        Configuration.RecipeSource.FromText(variant.RecipeJson, $"{request.Recipe.DisplayName} [{variant.Name}]", request.Recipe.BaseDirectory);

    private static string Describe(ExperimentVariant variant) =>
        variant.Overrides.Count == 0 ? "the recipe as written" : string.Join(", ", variant.Overrides.Select(o => $"{o.Key}={o.Value?.ToJsonString() ?? "null"}"));

    private enum Decision { Fresh, Keep, Resume }

    private static Decision ResumeDecision(string runDirectory)
    {
        if (!Directory.Exists(runDirectory) || !Directory.EnumerateFileSystemEntries(runDirectory).Any()) return Decision.Fresh;
        if (File.Exists(Path.Combine(runDirectory, RunSummaryFile.FileName)) &&
            RunSummaryFile.Read(runDirectory).Status is "completed" or "stopped-early")
            return Decision.Keep;
        if (Directory.Exists(Path.Combine(runDirectory, RunFiles.Checkpoints)) && Directory.EnumerateFiles(Path.Combine(runDirectory, RunFiles.Checkpoints)).Any())
            return Decision.Resume;
        // Nothing to resume from: keep what the earlier attempt wrote beside the fresh run, never delete it.
        var aside = $"{runDirectory}.incomplete-{DateTime.UtcNow:yyyyMMddHHmmss}";
        Directory.Move(runDirectory, aside);
        return Decision.Fresh;
    }

    /// <summary>As <see cref="Fill"/>; a damaged file of the variant's run makes it a failed variant with the reason, not a crash.</summary>
    private static void FillSafely(ExperimentVariantRecord line, string runDirectory, string objective, int exitCode)
    {
        try
        {
            Fill(line, runDirectory, objective, exitCode);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            line.Status = "failed";
            line.ExitCode = exitCode;
            line.Error = $"its run directory could not be read: {e.Message}";
        }
    }

    private static IReadOnlyList<EpochMetrics> History(string metricsCsv)
    {
        try { return MetricsCsvReader.Read(metricsCsv); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException) { return []; }
    }

    private static void SetAsidePreviousSummary(string runDirectory)
    {
        var summary = Path.Combine(runDirectory, RunSummaryFile.FileName);
        if (File.Exists(summary)) File.Move(summary, Path.Combine(runDirectory, "summary.previous.json"), overwrite: true);
    }

    private static void Fill(ExperimentVariantRecord line, string runDirectory, string objective, int exitCode)
    {
        line.ExitCode = exitCode;
        if (!File.Exists(Path.Combine(runDirectory, RunSummaryFile.FileName)))
        {
            line.Status = exitCode == ExitCodes.Interrupted ? "interrupted" : "failed";
            line.Error ??= "the run ended before writing summary.json; see its log.clef";
            return;
        }
        var summary = RunSummaryFile.Read(runDirectory);
        line.Status = summary.Status;
        line.Epochs = summary.Epochs;
        line.BestEpoch = summary.BestEpoch;
        line.DurationSeconds = summary.DurationSeconds;
        line.Error = summary.Error;
        var history = MetricsCsvReader.Read(Path.Combine(runDirectory, RunFiles.Metrics));
        // The last epoch's training and validation metrics, then the summary's (test metrics, restored-best values) on top.
        var metrics = new Dictionary<string, double>();
        foreach (var (name, value) in (history.LastOrDefault()?.Values ?? new Dictionary<string, double>()).Concat(summary.Metrics))
            if (double.IsFinite(value)) metrics[name] = value;
        line.Metrics = metrics;
        var monitor = new MetricMonitor(objective, MonitorMode.Auto);
        var scored = history.Where(h => h[objective] is { } v && double.IsFinite(v)).ToList();
        if (scored.Count > 0)
        {
            var best = monitor.Mode == MonitorMode.Max ? scored.MaxBy(h => h[objective]!.Value)! : scored.MinBy(h => h[objective]!.Value)!;
            line.BestObjective = best[objective];
            line.BestObjectiveEpoch = best.Epoch;
        }
    }

    private static void Save(string directory, ExperimentRecord record)
    {
        var path = Path.Combine(directory, ExperimentRecord.FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(record, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    internal static string Format(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";
}
