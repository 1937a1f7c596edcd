using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;
using Trainer.Callbacks;
using Trainer.Plugins.ImageFolder;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Plugins.Tests.ImageFolder;

/// <summary>The README's image recipe ("Your own data"), as written there, trains on a folder of PNG photos of two classes.</summary>
public sealed class YourOwnImagesTests
{
    [Test]
    public void TheReadmesImageRecipeTrainsOnAFolderOfPhotos()
    {
        var snippet = File.ReadAllLines(Path.Combine(Repository.Root, "tests", "Trainer.Hosting.Tests", "Docs", "own-images.json"))
            .Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal));
        var recipe = JsonSerializer.Deserialize<RecipeOptions>(string.Join("\n", snippet), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        using var folder = new TempFolder();
        // "cat" photos are bright on the left, "dog" photos on the right, 80×60 so the crop matters; noise keeps them apart.
        var random = new Random(3);
        foreach (var (split, count) in new[] { ("train", 40), ("test", 10) })
            foreach (var (name, left) in new[] { ("cat", true), ("dog", false) })
                for (var i = 0; i < count; i++)
                {
                    Directory.CreateDirectory(folder.File($"photos/{split}/{name}"));
                    var shade = (byte)random.Next(0, 40);
                    TestImages.Write(folder.File($"photos/{split}/{name}/{i:0000}.png"), 80, 60,
                        (x, _) => (x < 40) == left ? new SKColor(220, (byte)(200 + shade), 180) : new SKColor(shade, 30, 60));
                }
        recipe.Training.Epochs = 3;
        recipe.Training.Device = "cpu";
        recipe.Data.ImageSize = 16;

        using var setup = TrainingSetup.Create(recipe, folder.Path, sources: [new ImageFolderDataSource()]);
        var result = new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("pets", folder.Path), NullLogger.Instance).Run(CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);
        Assert.That(setup.Task.ClassNames, Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(setup.Data.Train.FeatureShape, Is.EqualTo(new long[] { 3, 16, 16 }));
        Assert.That(result.FinalMetrics["test_accuracy"], Is.GreaterThanOrEqualTo(0.9));
    }
}
