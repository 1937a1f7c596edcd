using System.Globalization;
using System.Text.Json;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Experiments;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Experiments;

/// <summary>Runs experiments in-process through <see cref="ExperimentRunner"/> and reads what they wrote.</summary>
public static class ExperimentRun
{
    /// <summary>A fast digits experiment recipe: <paramref name="sections"/> (Variants, Experiment) spliced in.</summary>
    public static string Recipe(string sections, int epochs = 2) => $$"""
        {
          "Name": "experiment-test",
          "Data": { "Source": "digits", "ValidationFraction": 0.15 },
          "Model": { "Kind": "mlp", "Hidden": [32], "BatchNorm": true },
          "Optimizer": { "Kind": "adam", "LearningRate": 0.01 },
          "Training": { "Epochs": {{epochs}}, "BatchSize": 256, "Device": "cpu", "Seed": 1 },
          {{sections}}
        }
        """;

    /// <summary>Runs the experiment in <paramref name="recipePath"/> into <paramref name="runDirectory"/>.</summary>
    public static (int Code, string Output, string Errors) Run(string recipePath, string? runDirectory, bool resume = false, params string[] overrides)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var request = new ExperimentRequest
        {
            Recipe = RecipeSource.FromFile(recipePath), RunDirectory = runDirectory, Resume = resume, Overrides = overrides,
            AppSettings = null, Console = false,
        };
        var code = new ExperimentRunner(Runner.Catalog, output, error, Runner.Features).RunAsync(request).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The error lines written by a run.</summary>
    public static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The variants of <c>experiment.json</c>.</summary>
    public static JsonElement[] Variants(string experimentDirectory) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(experimentDirectory, ExperimentRecord.FileName))).RootElement.GetProperty("Variants").EnumerateArray()];

    /// <summary>The resolved recipe a variant ran.</summary>
    public static JsonElement ResolvedRecipe(string variantDirectory) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(variantDirectory, "recipe.json"))).RootElement;

    /// <summary>A CSV file as rows of cells (no quoted cells expected), header first.</summary>
    public static string[][] Csv(string path) => [.. File.ReadAllLines(path).Select(l => l.Split(','))];

    /// <summary>The column <paramref name="name"/> of a CSV file's rows, as numbers.</summary>
    public static double[] Column(string path, string name)
    {
        var rows = Csv(path);
        var column = Array.IndexOf(rows[0], name);
        Assert.That(column, Is.GreaterThanOrEqualTo(0), $"{path} has a '{name}' column");
        return [.. rows.Skip(1).Select(r => double.Parse(r[column], CultureInfo.InvariantCulture))];
    }
}
