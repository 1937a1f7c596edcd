using static TorchSharp.torch;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;

namespace Trainer.Tests.Data;

public sealed class IdxFileTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ReadsRawAndGzipFiles(bool gzip)
    {
        using var folder = new TempFolder();
        var path = folder.File("x-idx3-ubyte");
        IdxWriter.Write(path, [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], gzip);

        var (dims, data) = IdxFile.ReadBytes(path);

        Assert.That(dims, Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That(data, Is.EqualTo(Enumerable.Range(1, 12).Select(i => (byte)i).ToArray()));
    }

    [Test]
    public void ACorruptHeaderIsReportedWithTheFileName()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad-idx3-ubyte");
        File.WriteAllBytes(path, [0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1]);

        var error = Assert.Throws<RecipeException>(() => IdxFile.ReadBytes(path));

        Assert.That(error!.Message, Is.EqualTo(
            $"Data file '{path}' is not a valid IDX file: it does not start with an IDX header (two zero bytes, type, dimension count). Replace it with a good copy."));
    }

    [Test]
    public void ATruncatedFileIsReportedWithTheCounts()
    {
        using var folder = new TempFolder();
        var path = folder.File("short-idx1-ubyte");
        File.WriteAllBytes(path, IdxWriter.Encode([10], [1, 2, 3]));

        var error = Assert.Throws<RecipeException>(() => IdxFile.ReadBytes(path));

        Assert.That(error!.Message, Does.Contain("its header declares 10 values (10) but it holds 3"));
    }

    [Test]
    public void AnUnsupportedElementTypeIsReported()
    {
        using var folder = new TempFolder();
        var path = folder.File("float-idx1-ubyte");
        var bytes = IdxWriter.Encode([1], [0]);
        bytes[2] = 0x0D;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<RecipeException>(() => IdxFile.ReadBytes(path));

        Assert.That(error!.Message, Does.Contain("element type code is 0x0D"));
    }

    [Test]
    public void TheIdxSourceLoadsTrainAndTestSplitsAsBytesThatThePipelineScalesToUnitRange()
    {
        using var folder = new TempFolder();
        IdxWriter.WriteDataSet(folder.Path, count: 30, gzip: true);

        var raw = new IdxDataSource().Load(new DataOptions { Source = "idx", Path = folder.Path });

        Assert.That(raw.Train.Features.shape, Is.EqualTo(new long[] { 30, 1, 4, 4 }));
        Assert.That(raw.Test!.Count, Is.EqualTo(30));
        Assert.That(raw.Train.ClassCount, Is.EqualTo(3));
        Assert.That(raw.Train.Features.dtype, Is.EqualTo(ScalarType.Byte));
        using var pixels = raw.Train.Features.to_type(ScalarType.Float32);
        var scaled = DataPipeline.Load(new DataOptions { Source = "idx", Path = folder.Path, ValidationFraction = 0, Normalize = "none" }, ".", seed: 1);
        Assert.That(scaled.Train.Features.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(scaled.Train.Features.max().item<float>(), Is.EqualTo(pixels.max().item<float>() / 255f).Within(1e-7));
        Assert.That(scaled.Train.Features.min().item<float>(), Is.EqualTo(pixels.min().item<float>() / 255f).Within(1e-7));
        scaled.Dispose();
    }

    [Test]
    public void AMissingIdxFileIsNamed()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => new IdxDataSource().Load(new DataOptions { Source = "idx", Path = folder.Path }));

        Assert.That(error!.Message, Is.EqualTo(
            $"Data file '{Path.Combine(folder.Path, "train-images-idx3-ubyte")}[.gz]' does not exist; Data:Path must hold the four IDX files."));
    }
}
