using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;
using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Plugins.ImageFolder;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Plugins.Tests.ImageFolder;

public sealed class ImageFolderDataSourceTests
{
    private static readonly SKColor Red = new(255, 0, 0), Green = new(0, 255, 0), Blue = new(0, 0, 255);

    private static DataOptions Options(string path, int channels = 3, int? size = null, string resize = "stretch", string onUnreadable = "error") => new()
    {
        Source = "image-folder", Path = path, Channels = channels, ImageSize = size, Resize = resize, OnUnreadable = onUnreadable,
    };

    private static byte[] Bytes(Tensor t)
    {
        using var contiguous = t.contiguous();
        return contiguous.data<byte>().ToArray();
    }

    private static long[] Longs(Tensor t) => t.data<long>().ToArray();

    private static void Dispose(RawData data)
    {
        data.Train.Dispose();
        data.Validation?.Dispose();
        data.Test?.Dispose();
    }

    [Test]
    public void TheSourceIsNamedImageFolder()
    {
        var source = new ImageFolderDataSource();

        Assert.That(source.Name, Is.EqualTo("image-folder"));
        Assert.That(typeof(ImageFolderDataSource).GetCustomAttributes(typeof(DataSourceNameAttribute), false).Cast<DataSourceNameAttribute>().Single().Name,
            Is.EqualTo("image-folder"));
    }

    [Test]
    public void ClassesAreTheFolderNamesInOrdinalOrderAndFilesAreSortedWithinAClass()
    {
        using var folder = new TempFolder();
        TestImages.Gray(folder.File("b/1.png"), 2, 2, (_, _) => 50);
        TestImages.Gray(folder.File("a/2.png"), 2, 2, (_, _) => 20);
        TestImages.Gray(folder.File("a/sub/0.png"), 2, 2, (_, _) => 40);
        TestImages.Gray(folder.File("a/10.png"), 2, 2, (_, _) => 30);
        TestImages.Gray(folder.File("B/x.PNG"), 2, 2, (_, _) => 10);
        TestImages.Gray(folder.File("a/.cache/1.png"), 2, 2, (_, _) => 99); // hidden folders are not read
        TestImages.Gray(folder.File(".hidden/1.png"), 2, 2, (_, _) => 99);
        folder.Write("a/notes.txt", "not an image, and not a .png file");

        var data = new ImageFolderDataSource().Load(Options(folder.Path, channels: 1));

        Assert.That(data.Train.ClassNames, Is.EqualTo(new[] { "B", "a", "b" }), "ordinal order: upper case before lower case");
        Assert.That(data.Train.ClassCount, Is.EqualTo(3));
        Assert.That(Longs(data.Train.Labels), Is.EqualTo(new long[] { 0, 1, 1, 1, 2 }));
        using var firstPixels = data.Train.Features[TensorIndex.Colon, 0, 0, 0];
        Assert.That(Bytes(firstPixels), Is.EqualTo(new byte[] { 10, 30, 20, 40, 50 }), "a: 10.png, 2.png, sub/0.png (ordinal)");
        Assert.That(data.Train.Features.dtype, Is.EqualTo(ScalarType.Byte));
        Assert.That(data.Train.FeatureShape, Is.EqualTo(new long[] { 1, 2, 2 }));
        Assert.That(data.Test, Is.Null);
        Assert.That(data.Validation, Is.Null);
        Assert.That(data.Notes, Is.Empty);
        Dispose(data);
    }

    [Test]
    public void RgbKeepsTheChannelsAndGrayscaleIsTheBt601Luma()
    {
        using var folder = new TempFolder();
        SKColor[] colors = [Red, Green, Blue, new(10, 200, 60)];
        TestImages.Write(folder.File("c/pixels.png"), 4, 1, (x, _) => colors[x]);

        var rgb = new ImageFolderDataSource().Load(Options(folder.Path, channels: 3));
        var gray = new ImageFolderDataSource().Load(Options(folder.Path, channels: 1));

        Assert.That(rgb.Train.FeatureShape, Is.EqualTo(new long[] { 3, 1, 4 }));
        Assert.That(Bytes(rgb.Train.Features), Is.EqualTo(new byte[] { 255, 0, 0, 10, /* G */ 0, 255, 0, 200, /* B */ 0, 0, 255, 60 }));
        var luma = colors.Select(c => (byte)Math.Round(0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue)).ToArray();
        Assert.That(luma, Is.EqualTo(new byte[] { 76, 150, 29, 127 }), "76.245, 149.685, 29.07, 127.23 rounded");
        Assert.That(gray.Train.FeatureShape, Is.EqualTo(new long[] { 1, 1, 4 }));
        Assert.That(Bytes(gray.Train.Features), Is.EqualTo(luma));
        Dispose(rgb);
        Dispose(gray);
    }

    [Test]
    public void PngJpegBmpAndWebpFilesAreRead()
    {
        using var folder = new TempFolder();
        var color = new SKColor(200, 40, 90);
        TestImages.Bmp(folder.File("c/1.bmp"), 3, 2, (x, y) => x == 1 && y == 0 ? Blue : color);
        TestImages.Solid(folder.File("c/2.jpg"), 8, 8, color);
        TestImages.Solid(folder.File("c/3.PNG"), 8, 8, color);
        TestImages.Solid(folder.File("c/4.webp"), 8, 8, color);

        var data = new ImageFolderDataSource().Load(Options(folder.Path, size: 2, resize: "crop"));

        Assert.That(data.Train.Count, Is.EqualTo(4));
        var pixels = Bytes(data.Train.Features);
        Assert.That(pixels[..12], Is.EqualTo(new byte[] { 200, 0, 200, 200, /* G */ 40, 0, 40, 40, /* B */ 90, 255, 90, 90 }),
            "the BMP's centre crop: columns 0 and 1 of 3 (the offset 0.5 rounds to even, as in torchvision), blue at the top right");
        Assert.That(pixels[24..36], Is.EqualTo(new byte[] { 200, 200, 200, 200, 40, 40, 40, 40, 90, 90, 90, 90 }), "PNG is lossless");
        foreach (var lossy in new[] { 12, 36 })
            for (var channel = 0; channel < 3; channel++)
                Assert.That(pixels[(lossy + 4 * channel)..(lossy + 4 * channel + 4)].Select(v => (int)v),
                    Has.All.InRange(new[] { 200, 40, 90 }[channel] - 8, new[] { 200, 40, 90 }[channel] + 8), "JPEG and WebP are lossy");
        Dispose(data);
    }

    [Test]
    public void AGrayscaleFileReadAsRgbHasThreeEqualChannels()
    {
        using var folder = new TempFolder();
        TestImages.Gray(folder.File("c/gray.png"), 3, 1, (x, _) => (byte)(7 + 100 * x));

        var data = new ImageFolderDataSource().Load(Options(folder.Path, channels: 3));

        Assert.That(Bytes(data.Train.Features), Is.EqualTo(new byte[] { 7, 107, 207, 7, 107, 207, 7, 107, 207 }));
        Dispose(data);
    }

    [Test]
    public void CropScalesTheShorterSideAndCutsTheCentreSquare()
    {
        using var folder = new TempFolder();
        // 8 x 4: two red columns, four green, two blue. The shorter side is already 4: the crop keeps columns 2 to 5.
        TestImages.Write(folder.File("wide/1.png"), 8, 4, (x, _) => x < 2 ? Red : x >= 6 ? Blue : Green);

        var data = new ImageFolderDataSource().Load(Options(folder.Path, size: 4, resize: "crop"));

        Assert.That(data.Train.FeatureShape, Is.EqualTo(new long[] { 3, 4, 4 }));
        Assert.That(Bytes(data.Train.Features), Is.EqualTo(Enumerable.Repeat((byte)0, 16).Concat(Enumerable.Repeat((byte)255, 16)).Concat(Enumerable.Repeat((byte)0, 16))),
            "every pixel green");
        Dispose(data);
    }

    [Test]
    public void CropOfATallImageScalesItDownFirst()
    {
        using var folder = new TempFolder();
        // 4 x 8 to size 2: scaled to 2 x int(2 * 8 / 4) = 2 x 4 (rows red, green, green, blue), then rows 1 and 2 are kept.
        TestImages.Write(folder.File("tall/1.png"), 4, 8, (_, y) => y < 2 ? Red : y >= 6 ? Blue : Green);

        var data = new ImageFolderDataSource().Load(Options(folder.Path, channels: 3, size: 2, resize: "crop"));

        Assert.That(data.Train.FeatureShape, Is.EqualTo(new long[] { 3, 2, 2 }));
        Assert.That(Bytes(data.Train.Features), Is.EqualTo(new byte[] { 0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0 }));
        Dispose(data);
    }

    [Test]
    public void StretchScalesToTheSquareIgnoringTheAspectRatio()
    {
        using var folder = new TempFolder();
        // 8 x 4 to 4 x 4: each output column is the bilinear mean of two source columns: red, green, green, blue.
        TestImages.Write(folder.File("wide/1.png"), 8, 4, (x, _) => x < 2 ? Red : x >= 6 ? Blue : Green);

        var data = new ImageFolderDataSource().Load(Options(folder.Path, size: 4, resize: "stretch"));

        Assert.That(data.Train.FeatureShape, Is.EqualTo(new long[] { 3, 4, 4 }));
        using var firstRow = data.Train.Features[0, TensorIndex.Colon, 0];
        Assert.That(Bytes(firstRow), Is.EqualTo(new byte[] { 255, 0, 0, 0, /* G */ 0, 255, 255, 0, /* B */ 0, 0, 0, 255 }));
        Dispose(data);
    }

    [Test]
    public void WithoutImageSizeAnImageOfAnotherSizeIsAnErrorNamingIt()
    {
        using var folder = new TempFolder();
        TestImages.Solid(folder.File("a/1.png"), 4, 4, Red);
        TestImages.Solid(folder.File("a/2.png"), 4, 4, Red);
        var odd = TestImages.Solid(folder.File("b/1.png"), 5, 4, Red);
        TestImages.Solid(folder.File("b/2.png"), 3, 3, Red);

        var error = Assert.Throws<RecipeException>(() => new ImageFolderDataSource().Load(Options(folder.Path)));

        Assert.That(error!.Errors, Has.Count.EqualTo(1));
        Assert.That(error.Message, Does.Contain($"'{odd}'").And.Contain("5 x 4").And.Contain("4 x 4").And.Contain("Data:ImageSize"));
    }

    [Test]
    public void TrainValidationAndTestSubFoldersAreTheSplits()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "cat", "dog" })
            for (var i = 0; i < 3; i++) TestImages.Solid(folder.File($"train/{name}/{i}.png"), 4, 4, name == "cat" ? Red : Blue);
        TestImages.Solid(folder.File("val/cat/0.png"), 4, 4, Red);
        TestImages.Solid(folder.File("val/dog/0.png"), 4, 4, Blue);
        TestImages.Solid(folder.File("test/dog/0.png"), 4, 4, Blue);
        TestImages.Solid(folder.File("test/dog/1.png"), 4, 4, Blue);

        var raw = new ImageFolderDataSource().Load(Options(folder.Path));
        Assert.That(raw.Train.ClassNames, Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(Longs(raw.Train.Labels), Is.EqualTo(new long[] { 0, 0, 0, 1, 1, 1 }));
        Assert.That(Longs(raw.Validation!.Labels), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(Longs(raw.Test!.Labels), Is.EqualTo(new long[] { 1, 1 }), "a class missing from test/ keeps its index");
        Assert.That(raw.Test.ClassNames, Is.EqualTo(new[] { "cat", "dog" }));
        Dispose(raw);

        var options = Options(folder.Path);
        options.ValidationFraction = 0.5;
        using var splits = DataPipeline.Load(options, "/", seed: 1, sources: [new ImageFolderDataSource()]);
        Assert.That(splits.Train.Count, Is.EqualTo(6), "val/ replaces Data:ValidationFraction");
        Assert.That(splits.Validation!.Count, Is.EqualTo(2));
        Assert.That(splits.Test.Count, Is.EqualTo(2));
        Assert.That(splits.Train.ClassNames, Is.EqualTo(new[] { "cat", "dog" }));
    }

    [Test]
    public void AFolderOfClassesIsSplitByTheSeededFractions()
    {
        using var folder = new TempFolder();
        for (var i = 0; i < 10; i++) TestImages.Solid(folder.File($"{(i % 2 == 0 ? "even" : "odd")}/{i}.png"), 4, 4, Green);
        var options = Options(folder.Path, channels: 1);
        options.TestFraction = 0.2;
        options.ValidationFraction = 0.25;

        using var splits = DataPipeline.Load(options, "/", seed: 3, sources: [new ImageFolderDataSource()]);

        Assert.That((splits.Train.Count, splits.Validation!.Count, splits.Test.Count), Is.EqualTo((6L, 2L, 2L)));
        Assert.That(splits.Train.Features.dtype, Is.EqualTo(ScalarType.Float32), "the pipeline scales the bytes");
    }

    [Test]
    public void AClassOnlyInTestIsAnErrorNamingIt()
    {
        using var folder = new TempFolder();
        TestImages.Solid(folder.File("train/cat/0.png"), 4, 4, Red);
        TestImages.Solid(folder.File("train/dog/0.png"), 4, 4, Red);
        TestImages.Solid(folder.File("test/cat/0.png"), 4, 4, Red);
        TestImages.Solid(folder.File("test/bird/0.png"), 4, 4, Red);

        var error = Assert.Throws<RecipeException>(() => new ImageFolderDataSource().Load(Options(folder.Path)));

        Assert.That(error!.Errors, Has.Count.EqualTo(1));
        Assert.That(error.Message, Does.Contain($"'{Path.Combine(folder.Path, "test", "bird")}'").And.Contain("cat, dog").And.Contain("train/bird"));
    }

    [Test]
    public void UnreadableImagesAreOneLineEachNamingTheFile()
    {
        using var folder = new TempFolder();
        var (garbage, truncated) = Corrupt(folder);

        var error = Assert.Throws<RecipeException>(() => new ImageFolderDataSource().Load(Options(folder.Path)));

        Assert.That(error!.Errors, Has.Count.EqualTo(2));
        Assert.That(error.Errors[0], Does.StartWith($"Data:Path: image file '{garbage}' cannot be read: it is not a PNG, JPEG, BMP or WebP image")
            .And.EndWith("replace or delete it, or set Data:OnUnreadable to skip."));
        Assert.That(error.Errors[1], Does.Contain($"'{truncated}'").And.Contain("Data:OnUnreadable"));
    }

    [Test]
    public void SkippedUnreadableImagesAreLeftOutAndCounted()
    {
        using var folder = new TempFolder();
        var (garbage, truncated) = Corrupt(folder);
        var options = Options(folder.Path, onUnreadable: "skip");

        var data = new ImageFolderDataSource().Load(options);
        using var streamed = new ImageFolderDataSource().Open(options);

        Assert.That(Longs(data.Train.Labels), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(data.Notes, Has.Count.EqualTo(1));
        Assert.That(data.Notes[0], Does.Contain("skipped 2 unreadable image files of 4").And.Contain(garbage).And.Contain(truncated));
        Assert.That(streamed.Train.Count, Is.EqualTo(2));
        Assert.That(streamed.Notes, Is.EqualTo(data.Notes));
        Dispose(data);
    }

    [Test]
    public void TheStreamingPathNamesAnUnreadableFileWhenItIsRead()
    {
        using var folder = new TempFolder();
        var (garbage, _) = Corrupt(folder);
        using var streamed = new ImageFolderDataSource().Open(Options(folder.Path));
        var buffer = new byte[streamed.Train.FeatureLength];

        var error = Assert.Throws<RecipeException>(() => streamed.Train.ReadFeatures(1, buffer));

        Assert.That(streamed.Train.Describe(1), Is.EqualTo(garbage));
        Assert.That(error!.Message, Does.Contain($"'{garbage}'"));
    }

    [Test]
    public void AnImageEmptiedOrDeletedAfterTheFolderWasOpenedIsNamedWhenItIsRead()
    {
        using var folder = new TempFolder();
        var first = TestImages.Solid(folder.File("a/1.png"), 16, 16, Red);
        var second = TestImages.Solid(folder.File("b/1.png"), 16, 16, Blue);
        using var streamed = new ImageFolderDataSource().Open(Options(folder.Path));
        var buffer = new byte[streamed.Train.FeatureLength];
        File.WriteAllBytes(first, []);
        File.Delete(second);

        var emptied = Assert.Throws<RecipeException>(() => streamed.Train.ReadFeatures(0, buffer));
        var deleted = Assert.Throws<RecipeException>(() => streamed.Train.ReadFeatures(1, buffer));

        Assert.That(emptied!.Message, Does.Contain($"'{first}'").And.Contain("the file is empty"));
        Assert.That(deleted!.Message, Does.Contain($"'{second}'"));
    }

    [Test]
    public void BothDataPathsGiveTheSameExamplesBitForBit()
    {
        using var folder = new TempFolder();
        var random = new Random(5);
        SKColor Noise(int x, int y) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        foreach (var split in new[] { "train", "val", "test" })
            foreach (var name in new[] { "ant", "bee", "cow" })
                for (var i = 0; i < 4; i++)
                    TestImages.Write(folder.File($"{split}/{name}/{i}.{(i % 2 == 0 ? "png" : "jpg")}"), 9 + i, 12 - i, Noise);
        var options = Options(folder.Path, channels: 3, size: 6, resize: "crop");

        var loaded = new ImageFolderDataSource().Load(options);
        using var streamed = new ImageFolderDataSource().Open(options);

        foreach (var (dataset, store) in new[] { (loaded.Train, streamed.Train), (loaded.Validation!, streamed.Validation!), (loaded.Test!, streamed.Test!) })
        {
            Assert.That(store.Count, Is.EqualTo(12));
            Assert.That(store.FeatureShape, Is.EqualTo(dataset.FeatureShape));
            Assert.That(store.FeatureType, Is.EqualTo(ScalarType.Byte));
            Assert.That(store.ClassNames, Is.EqualTo(dataset.ClassNames));
            Assert.That(store.ClassCount, Is.EqualTo(3));
            Assert.That(Longs(store.Labels), Is.EqualTo(Longs(dataset.Labels)));
            var read = new byte[store.Count * store.FeatureLength];
            Parallel.For(0, store.Count, i => store.ReadFeatures(i, read.AsSpan((int)(i * store.FeatureLength), (int)store.FeatureLength)));
            Assert.That(read, Is.EqualTo(Bytes(dataset.Features)));
        }
        Dispose(loaded);
    }

    [Test]
    public void BadOptionsAndAMissingFolderAreErrorsNamingTheField()
    {
        using var folder = new TempFolder();
        var source = new ImageFolderDataSource();

        var missing = Assert.Throws<RecipeException>(() => source.Load(Options(folder.File("nowhere"))));
        var none = Assert.Throws<RecipeException>(() => source.Load(Options(null!)));
        var bad = Assert.Throws<RecipeException>(() => source.Load(Options(folder.Path, channels: 2, size: 0, resize: "fit", onUnreadable: "ignore")));
        var empty = Assert.Throws<RecipeException>(() => source.Load(Options(folder.Path)));

        Assert.That(missing!.Message, Does.StartWith($"Data:Path '{folder.File("nowhere")}' is not a folder"));
        Assert.That(none!.Message, Does.StartWith("Data:Path is required when Data:Source is 'image-folder'"));
        Assert.That(bad!.Errors, Has.Count.EqualTo(4));
        Assert.That(bad.Errors, Has.Some.StartWith("Data:Channels must be 1 (grayscale) or 3 (RGB) (got 2)"));
        Assert.That(bad.Errors, Has.Some.StartWith("Data:ImageSize must be at least 1"));
        Assert.That(bad.Errors, Has.Some.StartWith("Data:Resize 'fit' is not supported"));
        Assert.That(bad.Errors, Has.Some.StartWith("Data:OnUnreadable 'ignore' is not supported"));
        Assert.That(empty!.Message, Does.Contain("has no class folders"));
    }

    [Test]
    public void ACnnTrainsOnAnImageFolderThroughTheLoop()
    {
        using var folder = new TempFolder();
        var random = new Random(11);
        for (var i = 0; i < 40; i++)
        {
            TestImages.Gray(folder.File($"images/dark/{i:000}.png"), 8, 8, (_, _) => (byte)random.Next(0, 60));
            TestImages.Gray(folder.File($"images/bright/{i:000}.png"), 8, 8, (_, _) => (byte)random.Next(190, 250));
        }
        var recipe = new RecipeOptions
        {
            Name = "image-folder-test",
            Data = new DataOptions
            {
                Source = "image-folder", Path = "images", Channels = 1, ValidationFraction = 0.2, TestFraction = 0.25,
                Augment = new AugmentOptions { HorizontalFlip = true, RandomCrop = 1 },
            },
            Model = new ModelOptions { Kind = "cnn", Channels = [4], Hidden = [8] },
            Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.01 },
            Training = new TrainingOptions { Epochs = 6, BatchSize = 8, Device = "cpu", Seed = 3 },
        };
        // Data:Source is checked against the sources the catalog finds, which this test does not build.
        Assert.That(RecipeValidator.Validate(recipe).Where(e => !e.StartsWith("Data:Source", StringComparison.Ordinal)), Is.Empty);

        using var setup = TrainingSetup.Create(recipe, folder.Path, sources: [new ImageFolderDataSource()]);
        var result = new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("test", folder.Path), NullLogger.Instance).Run(CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);
        Assert.That(setup.Data.Train.ClassNames, Is.EqualTo(new[] { "bright", "dark" }));
        Assert.That(setup.Data.Train.FeatureShape, Is.EqualTo(new long[] { 1, 8, 8 }));
        Assert.That(setup.Data.Test.Count, Is.EqualTo(20));
        Assert.That(result.FinalMetrics[MetricNames.TestAccuracy], Is.EqualTo(1.0), "dark and bright images are told apart");
    }

    /// <summary>a/1.png and b/1.png are good; a/2.png is text and b/2.png a PNG cut in half. Returns the two bad files.</summary>
    private static (string Garbage, string Truncated) Corrupt(TempFolder folder)
    {
        var random = new Random(1);
        TestImages.Solid(folder.File("a/1.png"), 16, 16, Red);
        var garbage = folder.Write("a/2.png", "this is not a PNG file");
        TestImages.Solid(folder.File("b/1.png"), 16, 16, Blue);
        var truncated = TestImages.Write(folder.File("b/2.png"), 16, 16, (_, _) => new SKColor((byte)random.Next(256), (byte)random.Next(256), 0));
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        return (garbage, truncated);
    }
}
