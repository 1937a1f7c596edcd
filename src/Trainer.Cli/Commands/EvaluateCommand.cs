using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Trainer.Data;
using Trainer.Hosting;
using Trainer.Hosting.Plugins;
using Trainer.Inference;
using Trainer.Recipes;
using Trainer.Reports;
using Trainer.Runs;
using Trainer.Tasks;
using Trainer.Training;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer evaluate MODEL [--data RECIPE|FILE|FOLDER] [--split test|validation|train] [--output DIR]</c>: a trained model's
/// loss and task metrics on labelled data — by default its own recipe's test split, so it reproduces the run's test
/// metrics — and for a classifier the per-class precision, recall and F1 and the confusion matrix: printed as a table, and
/// written as <c>evaluation.json</c> and <c>confusion.png</c> (to <c>RUN_DIR/evaluation</c> unless <c>--output</c> says).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model package (RUN_DIR/model), a run directory, or a checkpoint inside a run directory." };
        var data = new Option<string?>("--data")
        {
            Description = "A recipe (.json: its split is evaluated), or labelled inputs as for predict (a CSV file with the target, IDX files, a folder of class folders). " +
                          "Default: the model's own recipe.",
        };
        var split = new Option<string>("--split") { Description = "With a recipe: test (default), validation or train.", DefaultValueFactory = _ => "test" };
        var outFolder = new Option<string?>("--output") { Description = "The folder for evaluation.json and confusion.png. Default: RUN_DIR/evaluation." };
        var command = new Command("evaluate", "Evaluate a trained model: loss, metrics, per-class report and confusion matrix.") { model, data, split, outFolder };
        command.SetAction(parse =>
        {
            try
            {
                var modelPath = parse.GetValue(model)!;
                using var trained = ModelArguments.Load(modelPath, catalog);
                var dataPath = parse.GetValue(data);
                var splitName = parse.GetValue(split)!;
                var (inputs, description) = Inputs(trained, dataPath, splitName);
                using (inputs)
                {
                    var (result, predictions, labels) = trained.Evaluate(inputs);
                    using (labels)
                    {
                        var report = Classification(trained, predictions, labels);
                        var folder = parse.GetValue(outFolder) ?? EvaluationFiles.DefaultFolder(Path.GetDirectoryName(trained.PackageDirectory)!);
                        Directory.CreateDirectory(folder);
                        var evaluation = new EvaluationResult
                        {
                            Model = trained.PackageDirectory, Data = description, Examples = inputs.Count, Loss = result.Loss,
                            Metrics = result.Metrics.ToDictionary(), Classification = report is null ? null : EvaluationClassification.From(report),
                            CreatedAt = DateTimeOffset.UtcNow,
                        };
                        EvaluationFile.Write(folder, evaluation);
                        if (report is not null) ConfusionMatrixPlot.Write(Path.Combine(folder, EvaluationFiles.ConfusionPlot), report);
                        Print(output, evaluation, report, folder);
                    }
                }
                return ExitCodes.Completed;
            }
            catch (RecipeException e)
            {
                foreach (var line in e.Errors) error.WriteLine($"error: {line}");
                return ExitCodes.InvalidInput;
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or OutOfMemoryException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {NativeErrors.Message(e)}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static (ExampleInputs Inputs, string Description) Inputs(TrainedModel model, string? data, string split)
    {
        if (data is null)
            return (model.ReadSplit(split: split, baseDirectory: Path.GetDirectoryName(model.PackageDirectory)), $"the {split} split of the model's recipe");
        if (data.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(data)) throw new RecipeException($"--data recipe '{data}' does not exist.");
            JsonObject recipe;
            try
            {
                recipe = JsonNode.Parse(File.ReadAllText(data)) as JsonObject ?? throw new RecipeException($"--data recipe '{data}' is not a JSON object.");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new RecipeException($"--data recipe '{data}' is not valid JSON: {e.Message}");
            }
            return (model.ReadSplit(recipe, split, Path.GetDirectoryName(Path.GetFullPath(data))), $"the {split} split of {data}");
        }
        var inputs = model.ReadInputs(data);
        if (inputs.Labels is null)
        {
            inputs.Dispose();
            throw new RecipeException($"--data '{data}' has no labels to evaluate against: give a CSV file with the target column, IDX images with their labels file, " +
                                      "or a folder of class folders (trainer predict takes unlabelled inputs).");
        }
        return (inputs, data);
    }

    private static ClassificationReport? Classification(TrainedModel model, IReadOnlyList<Prediction> predictions, TorchSharp.torch.Tensor labels)
    {
        if (model.Task.Kind is not (TaskKind.Classification or TaskKind.Binary)) return null;
        var classes = model.Task.Kind == TaskKind.Binary ? 2 : model.Task.Outputs;
        var names = model.ClassNames is { Count: var n } known && n == classes ? known
            : Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        using var actual = labels.to_type(TorchSharp.torch.ScalarType.Int64).cpu();
        return ClassificationReport.Create(actual.data<long>().ToArray(), predictions.Select(p => (long)p.Label!.Value).ToArray(), names);
    }

    private static void Print(TextWriter output, EvaluationResult evaluation, ClassificationReport? report, string folder)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(c, "{0}: {1} examples of {2}", evaluation.Model, evaluation.Examples, evaluation.Data));
        output.WriteLine(string.Format(c, "loss {0:0.0000}  {1}", evaluation.Loss, MetricNames.Describe(evaluation.Metrics)));
        if (report is not null)
        {
            output.WriteLine();
            output.WriteLine(report.ToText());
        }
        output.WriteLine($"Written: {Path.Combine(folder, EvaluationFiles.Results)}{(report is null ? "" : $" and {EvaluationFiles.ConfusionPlot}")}");
    }
}
