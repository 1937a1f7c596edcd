using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Inference;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Core.Tests.Inference;

/// <summary>
/// A regression model trained on a table predicts new rows in the target's own units: the model's standardised output
/// times the training targets' σ plus their μ (closed form), close to the true function, from rows and from a CSV file.
/// </summary>
public sealed class RegressionPredictionTests
{
    [Test]
    public void ValuesComeBackInTheTargetsOwnUnits()
    {
        var directory = Directory.CreateTempSubdirectory("trainer-regression-").FullName;
        try
        {
            var random = new Random(4);
            var table = new StringBuilder("a,b,colour,y\n");
            for (var i = 0; i < 400; i++)
            {
                double a = random.NextDouble() * 10, b = random.NextDouble() * 10;
                var red = i % 2 == 0;
                table.Append(CultureInfo.InvariantCulture, $"{a:R},{b:R},{(red ? "red" : "blue")},{100 + 3 * a - 2 * b + (red ? 5 : 0):R}\n");
            }
            File.WriteAllText(Path.Combine(directory, "data.csv"), table.ToString());
            var recipe = new RecipeOptions
            {
                Name = "line",
                Data = new DataOptions { Source = "csv", Path = "data.csv", Target = "y" },
                Task = new TaskOptions { Kind = "regression", Metrics = ["rmse"] },
                Model = new ModelOptions { Kind = "mlp", Hidden = [32] },
                Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.01 },
                Training = new TrainingOptions { Epochs = 80, BatchSize = 32, Device = "cpu", Seed = 3 },
            };
            var run = Path.Combine(directory, "run");
            Directory.CreateDirectory(run);
            TrainingResult result;
            using (var setup = TrainingSetup.Create(recipe, directory))
                result = new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("line", run), NullLogger.Instance).Run(CancellationToken.None);
            Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);

            using var model = TrainedModel.Load(run);
            var rows = new List<IReadOnlyDictionary<string, string>>
            {
                new Dictionary<string, string> { ["a"] = "5", ["b"] = "5", ["colour"] = "red" },
                new Dictionary<string, string> { ["a"] = "2", ["b"] = "8", ["colour"] = "blue", ["ignored"] = "x" },
            };
            var predictions = model.Predict(rows);

            Assert.That(predictions[0].Scores[0], Is.EqualTo(100 + 15 - 10 + 5).Within(2.0));
            Assert.That(predictions[1].Scores[0], Is.EqualTo(100 + 6 - 16).Within(2.0));
            Assert.That(predictions[0].Label, Is.Null);
            var scaling = model.Task.TargetScaling!;
            using var encoded = tensor(new float[] { 5, 5, 0, 1 }, [1, 4]); // a, b, colour=blue, colour=red
            using var prepared = model.Prepare(encoded);
            using var output = model.Forward(prepared);
            Assert.That(predictions[0].Scores[0], Is.EqualTo(output.item<float>() * scaling.StandardDeviation[0] + scaling.Mean[0]).Within(1e-3));

            File.WriteAllText(Path.Combine(directory, "new.csv"), "colour,b,a\nred,5,5\n");
            using var inputs = model.ReadInputs(Path.Combine(directory, "new.csv"));
            Assert.That(model.Predict(inputs.Features, inputs.Ids)[0].Scores[0], Is.EqualTo(predictions[0].Scores[0]));
            Assert.That(inputs.Labels, Is.Null, "the file has no target column");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
