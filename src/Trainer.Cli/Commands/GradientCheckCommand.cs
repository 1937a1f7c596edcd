using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Trainer.Data;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Plugins.GradientCheck;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer gradcheck [RECIPE] [--full] [--max-entries N] [--epsilon E] [--batch-size B] [--Section:Key=value ...]</c>:
/// a two-sided gradient check of the recipe's model, loss and L2 term on its first training batch. Options come from
/// the recipe's GradientCheck callback when it has one, then from the flags. Exit 0 on ok/warn/suspect, 1 on fail.
/// </summary>
internal static class GradientCheckCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output, TextWriter error, IReadOnlyList<string> overrides)
    {
        var recipe = new Argument<string?>("recipe") { Description = "The recipe JSON file; default: the embedded quickstart recipe.", Arity = ArgumentArity.ZeroOrOne };
        var full = new Option<bool>("--full") { Description = "Check every entry of every parameter (small models)." };
        var maxEntries = new Option<int?>("--max-entries") { Description = "Entries checked per parameter tensor (seeded sample). Default: 20." };
        var epsilon = new Option<double?>("--epsilon") { Description = "ε of the two-sided difference. Default: 1e-7." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Examples in the fixed mini-batch. Default: 32." };
        var command = new Command("gradcheck", "Check backprop against a two-sided numerical gradient (float64, dropout off).")
        {
            recipe, full, maxEntries, epsilon, batchSize,
        };
        command.SetAction(parse =>
        {
            try
            {
                var source = RecipeArgument.Resolve(parse.GetValue(recipe));
                var (configuration, typed) = RecipeConfiguration.BuildLayers(source, overrides);
                var bound = RecipeBinder.Bind(configuration, typed);
                RecipeConfiguration.ResolveOverriddenPaths(bound, overrides);
                var options = OptionsFrom(configuration);
                if (parse.GetValue(full)) options.Full = true;
                if (parse.GetValue(maxEntries) is { } m) options.MaxEntriesPerTensor = m;
                if (parse.GetValue(epsilon) is { } e) options.Epsilon = e;
                if (parse.GetValue(batchSize) is { } b) options.BatchSize = b;
                Validate(options);

                var plugins = catalog.Value.ForConfiguration(configuration, source.BaseDirectory);
                var model = plugins.CreateModelFactory(configuration);
                IEnumerable<IDataSource> sources = plugins.CreateDataSource(configuration) is { } plugin ? [.. DataPipeline.BuiltInSources, plugin] : DataPipeline.BuiltInSources;
                using var setup = TrainingSetup.Create(bound, source.BaseDirectory, sources, model);
                var (inputs, targets) = GradientCheckCallback.FixedBatch(setup.Data.Train, options.BatchSize);
                var report = GradientChecker.CheckCopy(setup.Model, setup.CreateModel, inputs, targets,
                    GradientCheckCallback.WeightDecayOf(bound.Optimizer), options);
                Print(output, report, options);
                return report.Verdict == GradientCheckVerdict.Fail ? ExitCodes.Failed : ExitCodes.Completed;
            }
            catch (RecipeException e)
            {
                foreach (var line in e.Errors) error.WriteLine($"error: {line}");
                return ExitCodes.InvalidInput;
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or OutOfMemoryException)
            {
                error.WriteLine($"error: {NativeErrors.Message(e)}");
                return NativeErrors.IsOutOfMemory(e) ? ExitCodes.InvalidInput : ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <summary>The recipe's GradientCheck callback options, bound and checked as the plugin catalog does; defaults without one.</summary>
    private static GradientCheckOptions OptionsFrom(IConfiguration configuration)
    {
        var entry = configuration.GetSection("Callbacks").GetChildren()
            .FirstOrDefault(c => string.Equals(c["Type"], "GradientCheck", StringComparison.OrdinalIgnoreCase));
        if (entry is null) return new GradientCheckOptions();
        var errors = new List<string>();
        var options = PluginActivator.BindOptions(typeof(GradientCheckOptions), "GradientCheck", entry.GetSection("Options"), $"Callbacks:{entry.Key}:Options", errors);
        if (options is null) throw new RecipeException(errors);
        return (GradientCheckOptions)options;
    }

    /// <summary>Checks the options once the flags are applied; a problem names the flag that sets the option.</summary>
    private static void Validate(GradientCheckOptions options)
    {
        var errors = new List<string>();
        if (PluginActivator.ValidateOptions(options, "gradcheck", errors)) return;
        var flags = new Dictionary<string, (string Flag, object Value)>
        {
            [nameof(GradientCheckOptions.MaxEntriesPerTensor)] = ("--max-entries", options.MaxEntriesPerTensor),
            [nameof(GradientCheckOptions.Epsilon)] = ("--epsilon", options.Epsilon),
            [nameof(GradientCheckOptions.BatchSize)] = ("--batch-size", options.BatchSize),
        };
        throw new RecipeException(errors.Select(line =>
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"^gradcheck:(\w+): The field \w+ (.*)\.$");
            return match.Success && flags.TryGetValue(match.Groups[1].Value, out var flag)
                ? string.Create(CultureInfo.InvariantCulture, $"{flag.Flag} {match.Groups[2].Value} (got {flag.Value}).")
                : line;
        }).ToList());
    }

    private static void Print(TextWriter output, GradientCheckReport report, GradientCheckOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var nameWidth = Math.Max(9, report.Tensors.Max(t => t.Name.Length));
        output.WriteLine($"{"parameter".PadRight(nameWidth)}  {"shape",-14} {"checked",15}  {"rel. error",10}  verdict");
        foreach (var t in report.Tensors)
            output.WriteLine(string.Format(c, "{0}  {1,-14} {2,15}  {3,10:0.00E+00}  {4}", t.Name.PadRight(nameWidth),
                "[" + string.Join("x", t.Shape) + "]", $"{t.EntriesChecked}/{t.Entries}", t.RelativeError, t.Verdict.ToString().ToLowerInvariant()));
        output.WriteLine();
        output.WriteLine("worst entries:");
        foreach (var e in report.Worst)
            output.WriteLine(string.Format(c, "  {0}{1}  analytic {2,14:G8}  numeric {3,14:G8}  rel. error {4:0.00E+00}",
                e.Parameter, e.IndexText, e.Analytic, e.Numeric, e.RelativeError));
        output.WriteLine();
        if (report.DropoutDisabled) output.WriteLine("The model has dropout; the check ran with dropout off.");
        output.WriteLine(string.Format(c, "ε = {0:G3}; thresholds: ok < {1:G3}, warn < {2:G3}, fail ≥ {3:G3}", options.Epsilon, options.OkBelow, options.WarnBelow, options.FailAbove));
        output.WriteLine(report.Summary);
    }
}
