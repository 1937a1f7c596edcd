using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Bench;

/// <summary>
/// The in-memory and the streaming data path (<c>Data:Loading</c>) on the same model and data: Fashion-MNIST's IDX files
/// decompressed into a folder, and the same with the training images repeated <c>times</c> times (a data set of 4× the size).
/// </summary>
public static class Streaming
{
    /// <summary>Writes the decompressed files, the training pair repeated <paramref name="times"/> times, into a new folder.</summary>
    public static string Prepare(int times)
    {
        var source = FashionMnistDataSource.DefaultFolders().FirstOrDefault(f => File.Exists(Path.Combine(f, "train-images-idx3-ubyte.gz")))
            ?? throw new InvalidOperationException("Fashion-MNIST's .gz files were not found (see FashionMnistDataSource.DefaultFolders).");
        var folder = Directory.CreateTempSubdirectory($"trainer-bench-stream-{times}x-").FullName;
        foreach (var stem in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(source, stem + ".gz")), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            var bytes = memory.ToArray();
            var repeat = stem.StartsWith("train", StringComparison.Ordinal) ? times : 1;
            var header = stem.Contains("images", StringComparison.Ordinal) ? 16 : 8;
            using var output = File.Create(Path.Combine(folder, stem));
            var headerBytes = bytes[..header];
            var count = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(headerBytes.AsSpan(4));
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(headerBytes.AsSpan(4), count * repeat);
            output.Write(headerBytes);
            for (var i = 0; i < repeat; i++) output.Write(bytes, header, bytes.Length - header);
        }
        return folder;
    }

    /// <summary>Trains <paramref name="model"/> in this process on the data of <paramref name="folder"/> through one data path.</summary>
    /// <param name="loading">"memory" or "stream".</param>
    /// <param name="model">The model.</param>
    /// <param name="epochs">Epochs; samples/s is taken over epochs 2.. when there are several.</param>
    /// <param name="folder">The decompressed IDX files.</param>
    /// <param name="trainLimit">Training examples per epoch (0: all).</param>
    public static ChildResult Run(string loading, BenchModel model, int epochs, string folder, int trainLimit)
    {
        var recipe = BenchSettings.Recipe(model, epochs);
        recipe.Data = new DataOptions
        {
            Source = "idx", Path = folder, ValidationFraction = 0.1, Normalize = "per-feature", Loading = loading, TrainLimit = trainLimit > 0 ? trainLimit : null,
        };
        return Measure(recipe, loading, DataPipeline.BuiltInSources);
    }

    /// <summary>Trains <paramref name="recipe"/> in this process and measures samples/s (of epochs 2.. when there are several) and RSS.</summary>
    /// <param name="recipe">The recipe, its data section set.</param>
    /// <param name="variant">The result's name (the data path).</param>
    /// <param name="sources">The data sources to choose from.</param>
    public static ChildResult Measure(RecipeOptions recipe, string variant, IEnumerable<IDataSource> sources)
    {
        var directory = Directory.CreateTempSubdirectory("trainer-bench-run-").FullName;
        try
        {
            var memory = new RssRecorder();
            using var setup = TrainingSetup.Create(recipe, directory, sources);
            var result = new TrainingLoop(setup, new CallbackPipeline([memory]), new RunInfo("bench", directory), NullLogger.Instance).Run(CancellationToken.None);
            if (result.Status != RunStatus.Completed) throw new InvalidOperationException($"The {variant} run failed: {result.FailureMessage}");
            var perEpoch = memory.SamplesPerSecond.Count > 1 ? memory.SamplesPerSecond.Skip(1).ToList() : memory.SamplesPerSecond;
            var samplesPerSecond = perEpoch.Count / perEpoch.Sum(s => 1 / s);
            return new ChildResult(variant, samplesPerSecond, samplesPerSecond / recipe.Training.BatchSize, Rss.PeakMegabytes(), [.. memory.Megabytes]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
