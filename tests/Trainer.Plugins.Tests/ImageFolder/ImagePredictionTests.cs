using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;
using Trainer.Callbacks;
using Trainer.Inference;
using Trainer.Plugins.ImageFolder;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Plugins.Tests.ImageFolder;

/// <summary>
/// A model trained on an image folder predicts on new image files through its package: one image, a flat folder (ids are
/// the file names), a folder of class folders (labelled by name, also when it has fewer classes), decoded and resized the
/// way the training images were; an image of another size without <c>Data:ImageSize</c> is one clear error.
/// </summary>
public sealed class ImagePredictionTests
{
    private static readonly (string Name, SKColor Color)[] Colours = [("blue", new(20, 40, 230)), ("green", new(30, 220, 40)), ("red", new(230, 30, 20))];

    private static string Train(TempFolder folder, int? imageSize)
    {
        var random = new Random(5);
        foreach (var (name, color) in Colours)
            for (var i = 0; i < 30; i++)
                TestImages.Write(folder.File($"photos/{name}/{i:000}.png"), 12, 10, (_, _) => Shade(color, random));
        var recipe = new RecipeOptions
        {
            Name = "colours",
            Data = new DataOptions { Source = "image-folder", Path = "photos", ImageSize = imageSize, Channels = 3, ValidationFraction = 0.1, TestFraction = 0.2 },
            Model = new ModelOptions { Kind = "mlp", Hidden = [16] },
            Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.01 },
            Training = new TrainingOptions { Epochs = 15, BatchSize = 16, Device = "cpu", Seed = 2 },
        };
        var run = folder.File("run");
        Directory.CreateDirectory(run);
        using var setup = TrainingSetup.Create(recipe, folder.Path, sources: [new ImageFolderDataSource()]);
        var result = new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("colours", run), NullLogger.Instance).Run(CancellationToken.None);
        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);
        return run;
    }

    private static SKColor Shade(SKColor color, Random random)
    {
        byte Jitter(byte v) => (byte)Math.Clamp(v + random.Next(-15, 16), 0, 255);
        return new SKColor(Jitter(color.Red), Jitter(color.Green), Jitter(color.Blue));
    }

    [Test]
    public void OneImageAFlatFolderAndAClassTreeArePredictedWithTheTrainingDecoding()
    {
        using var folder = new TempFolder();
        var run = Train(folder, imageSize: 8);
        using var model = TrainedModel.Load(run, new TrainedModelOptions { DataSources = [new ImageFolderDataSource()] });
        Assert.That(model.ClassNames, Is.EqualTo(new[] { "blue", "green", "red" }));
        var random = new Random(9);
        TestImages.Write(folder.File("new/b.png"), 30, 20, (_, _) => Shade(Colours[2].Color, random)); // another size: resized to 8x8 as in training
        TestImages.Write(folder.File("new/a.png"), 12, 10, (_, _) => Shade(Colours[0].Color, random));
        TestImages.Write(folder.File("labelled/red/1.png"), 12, 10, (_, _) => Shade(Colours[2].Color, random));
        TestImages.Write(folder.File("labelled/green/1.png"), 12, 10, (_, _) => Shade(Colours[1].Color, random));

        using (var one = model.ReadInputs(folder.File("new/b.png")))
        {
            var prediction = model.Predict(one.Features, one.Ids).Single();
            Assert.That((prediction.Id, prediction.ClassName), Is.EqualTo(("b.png", "red")));
            Assert.That(one.Labels, Is.Null);
        }
        using (var flat = model.ReadInputs(folder.File("new")))
        {
            Assert.That(model.Predict(flat.Features, flat.Ids).Select(p => (p.Id, p.ClassName)), Is.EqualTo(new[] { ("a.png", "blue"), ("b.png", "red") }));
        }
        using var tree = model.ReadInputs(folder.File("labelled"));
        Assert.That(tree.ClassNames, Is.EqualTo(new[] { "green", "red" }));
        var (result, predictions, labels) = model.Evaluate(tree);
        using (labels)
        {
            Assert.That(labels.data<long>().ToArray(), Is.EqualTo(new long[] { 1, 2 }), "the folder's classes are matched to the model's by name");
            Assert.That(predictions.Select(p => p.Id), Is.EqualTo(new[] { "green/1.png", "red/1.png" }));
            Assert.That(result.Metrics["accuracy"], Is.EqualTo(1.0));
        }
    }

    [Test]
    public void AnImageOfAnotherSizeWithoutImageSizeIsRefusedWithTheModelsSize()
    {
        using var folder = new TempFolder();
        var run = Train(folder, imageSize: null);
        using var model = TrainedModel.Load(run, new TrainedModelOptions { DataSources = [new ImageFolderDataSource()] });
        TestImages.Write(folder.File("big.png"), 20, 20, (_, _) => Colours[0].Color);
        using var inputs = model.ReadInputs(folder.File("big.png"));

        var error = Assert.Throws<RecipeException>(() => model.Predict(inputs.Features))!;

        Assert.That(error.Message, Does.Contain("[1, 3, 20, 20]").And.Contain("3 channels of 10x12 pixels"));
    }
}
