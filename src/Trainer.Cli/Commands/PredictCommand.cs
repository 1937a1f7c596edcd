using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Trainer.Hosting;
using Trainer.Hosting.Plugins;
using Trainer.Inference;
using Trainer.Recipes;
using Trainer.Tasks;
using Trainer.Training;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer predict MODEL --input FILE|FOLDER [--output preds.csv] [--top-k K]</c>: a trained model's predictions for
/// new examples, one CSV row each: its id (file name, row or index), the prediction, the true label where the input has
/// one, and the probabilities (all classes, or the K most likely). The summary (examples, time, accuracy where labels
/// are known) goes to the error stream when the CSV goes to the output stream.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model package (RUN_DIR/model), a run directory, or a checkpoint inside a run directory." };
        var input = new Option<string>("--input") { Description = "The examples: a CSV file (table models), IDX files, an image or a folder of images (image models).", Required = true };
        var outFile = new Option<string?>("--output") { Description = "The CSV file to write. Default: the output stream." };
        var topK = new Option<int?>("--top-k") { Description = "Classifiers: write the K most likely classes and their probabilities instead of every class's." };
        var command = new Command("predict", "Predict with a trained model: one CSV row per example.") { model, input, outFile, topK };
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
            try
            {
                var k = parse.GetValue(topK);
                if (k is < 1) throw new RecipeException($"--top-k must be at least 1 (got {k}).");
                using var trained = ModelArguments.Load(parse.GetValue(model)!, catalog);
                var loaded = clock.Elapsed.TotalSeconds;
                using var inputs = trained.ReadInputs(parse.GetValue(input)!);
                var predictions = trained.Predict(inputs.Features, inputs.Ids);
                var firstPrediction = (DateTime.UtcNow - started).TotalSeconds;
                var labels = inputs.Labels is { } l ? l.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray() : null;
                var path = parse.GetValue(outFile);
                using (var writer = path is null ? null : new StreamWriter(path))
                    PredictionCsv.Write(writer ?? output, trained, predictions, labels, inputs.ClassNames, k);
                var summary = path is null ? error : output;
                summary.WriteLine(Summary(trained, predictions, labels, inputs.ClassNames, loaded, clock.Elapsed.TotalSeconds, firstPrediction, path));
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

    private static string Summary(TrainedModel model, IReadOnlyList<Prediction> predictions, double[]? labels, IReadOnlyList<string>? inputClasses,
        double loadSeconds, double totalSeconds, double processToFirst, string? path)
    {
        var c = CultureInfo.InvariantCulture;
        var line = string.Format(c, "{0} predictions{1}; model loaded in {2:0.00} s, all done in {3:0.00} s ({4:0.00} s from process start)",
            predictions.Count, path is null ? "" : $" written to {path}", loadSeconds, totalSeconds, processToFirst);
        if (labels is null || model.Task.Kind is not (TaskKind.Classification or TaskKind.Binary)) return line;
        var names = model.ClassNames;
        var correct = 0;
        for (var i = 0; i < predictions.Count; i++)
        {
            var truth = (int)labels[i];
            var same = inputClasses is not null && names is not null && model.Task.Kind == TaskKind.Classification
                ? predictions[i].ClassName == inputClasses[truth]
                : predictions[i].Label == truth;
            if (same) correct++;
        }
        return line + string.Format(c, "; accuracy {0:0.0000} ({1} of {2} correct)", (double)correct / Math.Max(1, predictions.Count), correct, predictions.Count);
    }
}
