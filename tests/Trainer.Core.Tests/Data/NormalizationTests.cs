using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Tests.Support;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Tests.Data;

public sealed class NormalizationTests
{
    /// <summary>A source of two-channel 2x3 images whose pixel values are known: channel 0 is i + pixel, channel 1 is 10·i.</summary>
    private sealed class TwoChannelImages(int count) : IDataSource
    {
        public string Name => "two-channel";

        public RawData Load(DataOptions options)
        {
            var pixels = new float[count * 2 * 2 * 3];
            for (var i = 0; i < count; i++)
            for (var p = 0; p < 6; p++)
            {
                pixels[i * 12 + p] = i + p;
                pixels[i * 12 + 6 + p] = 10f * i;
            }
            var features = tensor(pixels, [count, 2, 2, 3]);
            var labels = tensor(Enumerable.Range(0, count).Select(i => (long)(i % 2)).ToArray());
            return new RawData(new Dataset(features, labels, 2), new Dataset(features.clone(), labels.clone(), 2));
        }
    }

    private static DataSplits Load(string normalize, int count = 4) =>
        DataPipeline.Load(new DataOptions { Source = "two-channel", ValidationFraction = 0, Normalize = normalize }, ".", seed: 1, [new TwoChannelImages(count)]);

    [Test]
    public void PerChannelStatisticsAreTheMeanAndPopulationDeviationOfAllPixelsOfAChannel()
    {
        using var splits = Load("per-channel");

        // Channel 0: values i + p for i in 0..3, p in 0..5: mean 1.5 + 2.5 = 4; variance Var(i) + Var(p) = 1.25 + 35/12.
        // Channel 1: 10·i, constant over pixels: mean 15, variance 100·1.25.
        var n = splits.Normalization!;
        Assert.That(n.Mode, Is.EqualTo(NormalizationMode.PerChannel));
        Assert.That(n.Mean.shape, Is.EqualTo(new long[] { 2, 1, 1 }), "one value per channel, broadcasting over an image");
        Assert.That(n.Mean.data<float>().ToArray(), Is.EqualTo(new[] { 4f, 15f }).Within(1e-5));
        Assert.That(n.Std.data<float>().ToArray(), Is.EqualTo(new[] { (float)Math.Sqrt(1.25 + 35.0 / 12), (float)Math.Sqrt(125.0) }).Within(1e-5));
        Assert.That(splits.Train.Features.mean([0L, 2L, 3L]).data<float>().ToArray(), Is.EqualTo(new[] { 0f, 0f }).Within(1e-5));
        Assert.That(splits.Train.Features.std([0L, 2L, 3L], unbiased: false).data<float>().ToArray(), Is.EqualTo(new[] { 1f, 1f }).Within(1e-5));
    }

    [Test]
    public void AutoIsPerChannelForImagesAndPerFeatureForTables()
    {
        using var images = DataPipeline.Load(new DataOptions { Source = "digits" }, ".", seed: 1);
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("rows.csv"), string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{i * i},{i % 2}")));
        using var table = DataPipeline.Load(new DataOptions { Source = "csv", Path = "rows.csv" }, folder.Path, seed: 1);

        Assert.That(images.Normalization!.Mode, Is.EqualTo(NormalizationMode.PerChannel));
        Assert.That(images.Normalization.Mean.shape, Is.EqualTo(new long[] { 1, 1, 1 }));
        Assert.That(table.Normalization!.Mode, Is.EqualTo(NormalizationMode.PerFeature));
        Assert.That(table.Normalization.Mean.shape, Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void FalseAndNoneLeaveTheFeaturesAsLoaded()
    {
        using var none = Load("none");
        using var legacy = Load("false");

        Assert.That(none.Normalization, Is.Null);
        Assert.That(legacy.Normalization, Is.Null);
        Assert.That(none.Train.Features[1, 1, 0, 0].item<float>(), Is.EqualTo(10f));
    }

    [Test]
    public void PerChannelNormalisationOfTabularDataIsRefusedNamingTheSetting()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("rows.csv"), string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")));

        var error = Assert.Throws<RecipeException>(() =>
            DataPipeline.Load(new DataOptions { Source = "csv", Path = "rows.csv", Normalize = "per-channel" }, folder.Path, seed: 1));

        Assert.That(error!.Message, Is.EqualTo("Data:Normalize 'per-channel' needs images (channels x height x width); Data:Source 'csv' gives " +
                                               "examples of shape [1]. Use per-feature (or auto) for tabular data."));
    }

    [Test]
    public void FlipsAndShiftsCommuteWithPerChannelNormalisationAndShiftInBlackPixels()
    {
        manual_seed(5);
        using var raw = rand(64, 2, 7, 7);
        using var standardizer = Standardizer.Fit(raw, NormalizationMode.PerChannel);
        using var black = standardizer.StandardizedZero();
        var options = new AugmentOptions { HorizontalFlip = true, Shift = 2 };
        using var onRaw = new BatchAugmentation(options, [2, 7, 7]);
        using var onNormalised = new BatchAugmentation(options, [2, 7, 7], black);

        manual_seed(11);
        using var augmentedThenNormalised = standardizer.Transform(onRaw.Apply(raw));
        manual_seed(11);
        using var normalisedThenAugmented = onNormalised.Apply(standardizer.Transform(raw));

        var difference = (augmentedThenNormalised - normalisedThenAugmented).abs().max().item<float>();
        Assert.That(difference, Is.LessThan(1e-5f), "the model sees the same images whichever comes first");
        var shiftedIn = (augmentedThenNormalised == black.unsqueeze(0)).sum().item<long>();
        Assert.That(shiftedIn, Is.GreaterThan(0), "shifted-in pixels are black (−μ/σ), not the channel mean (0)");
    }

    [Test]
    public void PerPixelNormalisationWouldNotCommuteWithAFlip()
    {
        // The defect this mode replaces: per pixel, flip(norm x) ≠ norm(flip x) whenever the pixels' statistics differ.
        using var splits = Load("per-feature", count: 8);
        using var raw = Load("none", count: 8);
        using var normFlip = splits.Normalization!.Transform(raw.Train.Features.flip(3));
        using var flipNorm = splits.Train.Features.flip(3);

        Assert.That((normFlip - flipNorm).abs().max().item<float>(), Is.GreaterThan(0.1f));
    }

    [Test]
    public void TheStatisticsAreWrittenToTheRunDirectoryAndReadBack()
    {
        using var folder = new TempFolder();
        var recipe = TestTraining.Digits(epochs: 1);
        using (var setup = TrainingSetup.Create(recipe, folder.Path))
            new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("normalised", folder.Path), NullLogger.Instance).Run(CancellationToken.None);

        using var read = NormalizationFile.Read(folder.Path)!;
        using var expected = DataPipeline.Load(recipe.Data, folder.Path, recipe.Training.Seed);

        Assert.That(File.ReadAllText(folder.File(NormalizationFile.FileName)), Does.Contain("\"mode\": \"per-channel\""));
        Assert.That(read.Mode, Is.EqualTo(NormalizationMode.PerChannel));
        Assert.That(read.Mean.shape, Is.EqualTo(new long[] { 1, 1, 1 }));
        Assert.That(read.Mean.item<float>(), Is.EqualTo(expected.Normalization!.Mean.item<float>()));
        Assert.That(read.Std.item<float>(), Is.EqualTo(expected.Normalization.Std.item<float>()));
    }

    [Test]
    public void ARunWithoutNormalisationRecordsModeNone()
    {
        using var folder = new TempFolder();
        var recipe = TestTraining.Digits(epochs: 1);
        recipe.Data.Normalize = "none";
        using (var setup = TrainingSetup.Create(recipe, folder.Path))
            new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("plain", folder.Path), NullLogger.Instance).Run(CancellationToken.None);

        Assert.That(NormalizationFile.Read(folder.Path), Is.Null);
    }
}
