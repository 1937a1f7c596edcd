using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>The README's C# prediction example runs against a real run directory and prints what it says.</summary>
[NonParallelizable] // it writes to the console
public sealed class TrainedModelUsageTests
{
    [Test]
    public void TheReadmesPredictionExamplePrintsAClassAndOneLinePerExample()
    {
        var directory = Directory.CreateTempSubdirectory("trainer-usage-").FullName;
        var console = Console.Out;
        try
        {
            var recipe = new RecipeOptions
            {
                Name = "usage",
                Data = new DataOptions { Source = "digits" },
                Model = new ModelOptions { Kind = "mlp", Hidden = [32] },
                Training = new TrainingOptions { Epochs = 2, BatchSize = 256, Device = "cpu", Seed = 1 },
            };
            using (var setup = TrainingSetup.Create(recipe, directory))
                new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("usage", directory), NullLogger.Instance).Run(CancellationToken.None);
            var output = new StringWriter();
            Console.SetOut(output);

            TrainedModelUsage.Predict(directory, new float[64], directory);

            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Does.Match(@"^\d \d+(\.\d)?\s?%"));
            Assert.That(lines.Skip(1).ToList(), Has.Count.EqualTo(1797), "the digits source reads its 1,797 embedded examples");
            Assert.That(lines[1], Does.Match(@"^0: \d$"));
        }
        finally
        {
            Console.SetOut(console);
            Directory.Delete(directory, recursive: true);
        }
    }
}
