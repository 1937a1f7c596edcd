using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Tests.Data;

/// <summary>The streaming data path (Data:Loading): the same batches as the in-memory path, bounded prefetch, failures and stops.</summary>
public sealed class StreamingDataTests
{
    /// <summary>Writes uncompressed IDX files: <paramref name="trainCount"/> and <paramref name="testCount"/> random side × side images, labels i mod 3.</summary>
    private static void WriteIdx(string folder, int trainCount, int testCount, int side = 8, bool gzip = false)
    {
        var random = new Random(3);
        foreach (var (prefix, count) in new[] { ("train", trainCount), ("t10k", testCount) })
        {
            var pixels = new byte[count * side * side];
            random.NextBytes(pixels);
            var suffix = gzip ? ".gz" : "";
            IdxWriter.Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), [count, side, side], pixels, gzip);
            IdxWriter.Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), [count], Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray(), gzip);
        }
    }

    private static RecipeOptions IdxRecipe(string folder, string loading, int epochs = 2) => new()
    {
        Name = "test",
        Data = new DataOptions
        {
            Source = "idx", Path = folder, ValidationFraction = 0.2, TrainLimit = 200, Loading = loading, Workers = 3, Prefetch = 2, Normalize = "per-channel",
        },
        Model = new ModelOptions { Kind = "mlp", Hidden = [16], BatchNorm = true },
        Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.01 },
        Training = new TrainingOptions { Epochs = epochs, BatchSize = 32, Device = "cpu", Seed = 11 },
    };

    private static float[] Values(Tensor t)
    {
        using var cpu = t.cpu();
        return cpu.data<float>().ToArray();
    }

    private static long[] Longs(Tensor t)
    {
        using var cpu = t.cpu();
        return cpu.data<long>().ToArray();
    }

    private static IEnumerable<double> Metrics(TrainingResult result) =>
        result.History.SelectMany(h => h.Values.OrderBy(p => p.Key).Select(p => p.Value));

    [Test]
    public void BothPathsGiveIdenticalBatchesValidationAndTestExamplesForASeed()
    {
        using var folder = new TempFolder();
        WriteIdx(folder.Path, 300, 60);
        var seen = new Dictionary<string, (List<float[]> X, List<long[]> Y, float[][] Splits, long[][] Labels, float[][] Statistics, string Loading)>();

        var results = new Dictionary<string, TrainingResult>();
        foreach (var loading in new[] { "memory", "stream" })
        {
            var recorder = new BatchRecorder();
            float[][] splits = [], statistics = [];
            long[][] labels = [];
            var data = "";
            results[loading] = TestTraining.Train(IdxRecipe(folder.Path, loading), setup =>
            {
                data = setup.Data.Loading;
                splits = [Values(setup.Data.Validation!.Features), Values(setup.Data.Test.Features)];
                labels = [Longs(setup.Data.Validation.Labels), Longs(setup.Data.Test.Labels)];
                statistics = [Values(setup.Data.Normalization!.Mean), Values(setup.Data.Normalization.Std)];
            }, recorder);
            seen[loading] = (recorder.X, recorder.Y, splits, labels, statistics, data);
        }

        var (memory, stream) = (seen["memory"], seen["stream"]);
        Assert.That(memory.Loading, Does.StartWith("memory"));
        Assert.That(stream.Loading, Does.StartWith("stream"));
        Assert.That(results["stream"].Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(stream.X, Has.Count.EqualTo(2 * 7), "two epochs of 200 examples in batches of 32 (the last of 8)");
        Assert.That(stream.X, Is.EqualTo(memory.X), "every training batch's inputs, bit for bit");
        Assert.That(stream.Y, Is.EqualTo(memory.Y), "and targets");
        Assert.That(stream.X[0], Is.Not.EqualTo(stream.X[7]), "epochs are shuffled differently");
        Assert.That(stream.Statistics, Is.EqualTo(memory.Statistics), "normalisation statistics, bit for bit");
        Assert.That(stream.Splits[0], Has.Length.EqualTo(60 * 64));
        Assert.That(stream.Splits, Is.EqualTo(memory.Splits), "validation and test examples");
        Assert.That(stream.Labels, Is.EqualTo(memory.Labels));
        Assert.That(Metrics(results["stream"]), Is.EqualTo(Metrics(results["memory"])));
        Assert.That(results["stream"].FinalMetrics, Is.EqualTo(results["memory"].FinalMetrics));
        Assert.That(BatchPrefetcher.RunningWorkers, Is.Zero, "the workers stopped with the run");
    }

    [Test]
    public void PerFeatureStatisticsAndEveryExampleAreIdenticalOnBothPaths()
    {
        using var folder = new TempFolder();
        WriteIdx(folder.Path, 120, 30);
        DataOptions Options(string loading) => new() { Source = "idx", Path = folder.Path, Normalize = "per-feature", ValidationFraction = 0.25, Loading = loading };

        using var memory = DataPipeline.Load(Options("memory"), folder.Path, seed: 4);
        using var stream = DataPipeline.Load(Options("stream"), folder.Path, seed: 4);

        Assert.That(stream.Train.Stream, Is.Not.Null);
        Assert.That(memory.Train.Stream, Is.Null);
        Assert.That(Values(stream.Normalization!.Mean), Is.EqualTo(Values(memory.Normalization!.Mean)));
        Assert.That(Values(stream.Normalization.Std), Is.EqualTo(Values(memory.Normalization.Std)));
        Assert.That(stream.Train.Count, Is.EqualTo(90));
        Assert.That(Values(stream.Train.Features), Is.EqualTo(Values(memory.Train.Features)));
        Assert.That(Longs(stream.Train.Labels), Is.EqualTo(Longs(memory.Train.Labels)));
        Assert.That(stream.Test.ClassCount, Is.EqualTo(memory.Test.ClassCount));
    }

    [Test]
    public void ChunkedStatisticsMergeToTheClosedFormOverSeveralChunks()
    {
        // Channel c of example i is i + 10c everywhere: per channel the values 0..4 (+10c), each a million times, so μ = 2 + 10c
        // and σ = √2; examples of 2 million values make chunks of 2 examples (2, 2, 1), merged across chunks.
        using var data = arange(5, dtype: ScalarType.Float32).view(5, 1, 1, 1).add(tensor(new float[] { 0, 10 }).view(1, 2, 1, 1))
            .expand(5, 2, 1000, 1000).contiguous();
        Assert.That(Standardizer.ChunkExamples(2_000_000), Is.EqualTo(2));

        using var fitted = Standardizer.Fit(data, NormalizationMode.PerChannel);

        Assert.That(fitted.Mean.shape, Is.EqualTo(new long[] { 2, 1, 1 }));
        Assert.That(Values(fitted.Mean), Is.EqualTo(new[] { 2f, 12f }));
        Assert.That(Values(fitted.Std), Is.EqualTo(new[] { (float)Math.Sqrt(2), (float)Math.Sqrt(2) }));
    }

    [Test]
    public void AWorkerExceptionFailsTheRunNamingTheFileAndStopsTheWorkers()
    {
        var source = new StoreSource(() => new SyntheticStore(200) { FailAt = 137 });
        var recipe = StoreRecipe("stream");
        recipe.Data.Normalize = "none"; // no statistics pass: the loop's workers meet the bad example

        var result = TrainWith(recipe, source);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.Exception, Is.InstanceOf<RecipeException>());
        Assert.That(result.FailureMessage, Is.EqualTo("Data file 'images/137.png' is corrupt (bad PNG header). Replace it or remove it."));
        Assert.That(BatchPrefetcher.RunningWorkers, Is.Zero);
    }

    [TestCase("regression")]
    [TestCase("binary")]
    public void TasksBeyondClassificationTrainTheSameOnBothPaths(string kind)
    {
        var results = new List<TrainingResult>();
        var targets = new List<List<float[]>>();
        foreach (var loading in new[] { "memory", "stream" })
        {
            var recipe = StoreRecipe(loading);
            recipe.Task = new TaskOptions { Kind = kind };
            recipe.Training.Epochs = 2;
            var recorder = new TargetRecorder();
            var count = kind == "binary" ? 2 : 3; // binary needs two classes: labels i mod 2
            using var folder = new TempFolder();
            using var setup = TrainingSetup.Create(recipe, folder.Path, [new StoreSource(() => new SyntheticStore(240, count))]);
            results.Add(new TrainingLoop(setup, new CallbackPipeline([recorder]), new RunInfo("test-run", folder.Path), NullLogger.Instance).Run(CancellationToken.None));
            targets.Add(recorder.Y);
        }

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(RunStatus.Completed), results[1].FailureMessage);
        Assert.That(targets[1], Is.EqualTo(targets[0]), "the converted (and, for regression, standardised) targets of every batch");
        Assert.That(Metrics(results[1]), Is.EqualTo(Metrics(results[0])));
        Assert.That(results[1].FinalMetrics, Is.EqualTo(results[0].FinalMetrics));
    }

    [Test]
    public void TheDiskCacheGivesTheSameBatchesAndMetricsAndReadsEachExampleFromItsSourceOnce()
    {
        using var folder = new TempFolder();
        var cacheFolder = Path.Combine(folder.Path, "cache"); // Data:CacheDirectory "cache", relative to the recipe's folder
        var results = new List<TrainingResult>();
        var batches = new List<List<float[]>>();
        var loadings = new List<string>();
        var reads = new int[240];
        foreach (var (loading, cache) in new[] { ("memory", "none"), ("stream", "disk") })
        {
            var recipe = StoreRecipe(loading);
            recipe.Data.Cache = cache;
            recipe.Data.CacheDirectory = "cache";
            recipe.Training.Epochs = 3;
            var recorder = new BatchRecorder();
            var store = new SyntheticStore(240) { BeforeRead = cache == "disk" ? i => Interlocked.Increment(ref reads[i]) : null };
            using var run = new TempFolder();
            using (var setup = TrainingSetup.Create(recipe, folder.Path, [new StoreSource(() => store)]))
            {
                loadings.Add(setup.Data.Loading);
                results.Add(new TrainingLoop(setup, new CallbackPipeline([recorder]), new RunInfo("test-run", run.Path), NullLogger.Instance).Run(CancellationToken.None));
            }
            batches.Add(recorder.X);
        }

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(RunStatus.Completed), results[1].FailureMessage);
        Assert.That(loadings[1], Is.EqualTo($"stream (Data:Loading stream), each example cached on disk as decoded the first time it is read (Data:Cache disk, in {cacheFolder})"));
        Assert.That(batches[1], Is.EqualTo(batches[0]), "every training batch's inputs, bit for bit");
        Assert.That(Metrics(results[1]), Is.EqualTo(Metrics(results[0])));
        Assert.That(results[1].FinalMetrics, Is.EqualTo(results[0].FinalMetrics));
        // The statistics pass reads the training examples, three epochs and the evaluations read them all again: from the
        // source once each (the test split, the first ten examples through a store of its own, once more).
        Assert.That(reads.Skip(10), Is.All.EqualTo(1));
        Assert.That(reads.Take(10), Is.All.EqualTo(2));
        Assert.That(Directory.GetFileSystemEntries(cacheFolder), Is.Empty, "no cache file left behind");
    }

    [Test]
    public void ACorruptExampleMetInTheStatisticsPassFailsTheSetUpNamingTheFile()
    {
        var source = new StoreSource(() => new SyntheticStore(200) { FailAt = 5 });
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(StoreRecipe("stream"), folder.Path, [source]).Dispose());

        Assert.That(error!.Message, Does.Contain("'images/5.png'"));
        Assert.That(BatchPrefetcher.RunningWorkers, Is.Zero);
    }

    [Test]
    public void CancellingMidEpochStopsTheWorkers()
    {
        using var cancel = new CancellationTokenSource();
        using var folder = new TempFolder();
        WriteIdx(folder.Path, 300, 60);

        var result = TestTraining.Train(IdxRecipe(folder.Path, "stream", epochs: 5), cancel.Token, new CancelAtStep(3, cancel));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(BatchPrefetcher.RunningWorkers, Is.Zero);
    }

    [Test]
    public void AMidEpochResumeOnTheStreamingPathContinuesExactlyEvenFromACheckpointOfTheInMemoryPath()
    {
        using var folder = new TempFolder();
        WriteIdx(folder.Path, 300, 60);
        var recipe = IdxRecipe(folder.Path, "stream", epochs: 3);
        var straight = TestTraining.Train(recipe);
        var capture = new CaptureAt(epoch: 2, batch: 3);
        var streamed = TestTraining.Train(recipe, capture);
        var inMemory = new CaptureAt(epoch: 2, batch: 3);
        TestTraining.Train(IdxRecipe(folder.Path, "memory", epochs: 3), inMemory);

        using var run = new TempFolder();
        var resumed = TestTraining.TrainIn(run.Path, recipe, null, NullLogger.Instance, CancellationToken.None, capture.Checkpoint);

        using var other = new TempFolder();
        var switched = TestTraining.TrainIn(other.Path, recipe, null, NullLogger.Instance, CancellationToken.None, inMemory.Checkpoint);

        Assert.That(capture.Checkpoint!.Partial!.NextBatch, Is.EqualTo(4));
        Assert.That(resumed.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(Metrics(streamed), Is.EqualTo(Metrics(straight)), "capturing a checkpoint changes nothing");
        Assert.That(Metrics(resumed), Is.EqualTo(Metrics(straight)));
        Assert.That(resumed.FinalMetrics, Is.EqualTo(straight.FinalMetrics));
        Assert.That(inMemory.Checkpoint!.Partial!.Order, Is.EqualTo(capture.Checkpoint.Partial.Order), "the same epoch order on both paths");
        Assert.That(Metrics(switched), Is.EqualTo(Metrics(straight)), "a memory run resumed on the streaming path");
    }

    [Test]
    public void ThePrefetchQueueHoldsAtMostPrefetchBatchesAheadOfTheLoop()
    {
        const int batchSize = 5, prefetch = 3, batches = 12;
        var store = new SyntheticStore(batchSize * batches);
        var source = new StoreSource(() => store);
        var options = new DataOptions { Source = "synthetic", Loading = "stream", Normalize = "none", ValidationFraction = 0, Workers = 4, Prefetch = prefetch };
        using var splits = DataPipeline.Load(options, ".", seed: 1, [source]);
        var consumed = 0;
        var violations = new List<string>();
        using var filled = new ManualResetEventSlim();
        var reads = 0;
        store.BeforeRead = index =>
        {
            // The split is the store's examples in order (own test split, no validation), so example i is in batch i / size.
            var batch = (int)(index / batchSize);
            if (batch >= Volatile.Read(ref consumed) + prefetch) lock (violations) violations.Add($"batch {batch} read with {consumed} taken");
            if (Interlocked.Increment(ref reads) == batchSize * prefetch) filled.Set();
        };

        using (var prefetcher = new BatchPrefetcher(splits.Train.Stream!, null, batchSize, 0, batches))
        {
            Assert.That(filled.Wait(TimeSpan.FromMinutes(1)), Is.True, "the workers fill the queue before anything is taken");
            for (var b = 0; b < batches; b++)
            {
                Interlocked.Increment(ref consumed); // before Take frees the batch's room
                var (x, y) = prefetcher.Take(b);
                using (x)
                using (y)
                {
                    Assert.That(x.shape, Is.EqualTo(new long[] { batchSize, 1, 4, 4 }));
                    Assert.That(x[0, 0, 0, 0].item<byte>(), Is.EqualTo(SyntheticStore.Pixel(b * batchSize, 0)), "batches arrive in order");
                }
            }
        }

        Assert.That(violations, Is.Empty);
        Assert.That(reads, Is.EqualTo(batchSize * batches));
        Assert.That(BatchPrefetcher.RunningWorkers, Is.Zero);
    }

    [Test]
    public void AutoStreamsWhenTheDataSetExceedsTheBudgetAndLoadsIntoMemoryOtherwise()
    {
        using var folder = new TempFolder();
        WriteIdx(folder.Path, 300, 100, side: 28); // 400 × 784 × 4 bytes = 1.2 MB as float32
        DataOptions Options(long budget) => new() { Source = "idx", Path = folder.Path, Loading = "auto", MemoryBudgetMB = budget };

        using var small = DataPipeline.Load(Options(1), folder.Path, seed: 1);
        using var large = DataPipeline.Load(Options(2), folder.Path, seed: 1);

        Assert.That(small.Train.Stream, Is.Not.Null);
        Assert.That(small.Loading, Is.EqualTo("stream (Data:Loading auto: the data set takes 1.2 MB as float32, more than the budget of 1 MB (Data:MemoryBudgetMB))"));
        Assert.That(large.Train.Stream, Is.Null);
        Assert.That(large.Loading, Does.StartWith("memory (Data:Loading auto: the data set takes 1.2 MB as float32, no more than the budget of 2 MB"));
    }

    [Test]
    public void CompressedFilesLoadIntoMemoryOnAutoAndAreRefusedWithTheFixOnStream()
    {
        using var folder = new TempFolder();
        WriteIdx(folder.Path, 30, 10, gzip: true);
        var images = folder.File("train-images-idx3-ubyte.gz");

        using var auto = DataPipeline.Load(new DataOptions { Source = "idx", Path = folder.Path, Loading = "auto", MemoryBudgetMB = 1 }, folder.Path, seed: 1);
        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(new DataOptions { Source = "idx", Path = folder.Path, Loading = "stream" }, folder.Path, seed: 1));

        Assert.That(auto.Train.Stream, Is.Null);
        Assert.That(auto.Loading, Does.StartWith($"memory (Data:Loading auto: the IDX file '{images}' is gzip-compressed"));
        Assert.That(error!.Message, Is.EqualTo($"Data:Loading 'stream' cannot stream Data:Source 'idx': the IDX file '{images}' is gzip-compressed, and streaming " +
                                               $"reads images one at a time from uncompressed files; decompress it (gunzip -k '{images}') or set Data:Loading to memory."));
    }

    [Test]
    public void StreamingASourceThatCannotStreamIsOneLineNamingIt()
    {
        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(new DataOptions { Source = "digits", Loading = "stream" }, ".", seed: 1));

        Assert.That(error!.Message, Is.EqualTo("Data:Loading 'stream' is not supported by Data:Source 'digits', which can only load into memory; " +
                                               "set Data:Loading to memory or auto."));
    }

    [Test]
    public void TheRecipeValidatorChecksTheLoadingFields()
    {
        var recipe = TestTraining.Digits();
        recipe.Data.Loading = "disk";
        recipe.Data.Workers = 0;
        recipe.Data.Prefetch = 0;
        recipe.Data.MemoryBudgetMB = -1;
        recipe.Data.Cache = "ram";

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Data:Loading 'disk' is not supported; use one of: auto, memory, stream.",
            "Data:MemoryBudgetMB must be 0 (half the available memory) or more (got -1).",
            "Data:Workers must be between 1 and 64 (got 0).",
            "Data:Prefetch must be between 1 and 1024 batches (got 0).",
            "Data:Cache 'ram' is not supported; use one of: none, disk.",
        }));
    }

    private static RecipeOptions StoreRecipe(string loading)
    {
        var recipe = TestTraining.Digits(epochs: 1, batchSize: 16);
        recipe.Data = new DataOptions { Source = "synthetic", Loading = loading, ValidationFraction = 0.1, Normalize = "per-channel" };
        return recipe;
    }

    private static TrainingResult TrainWith(RecipeOptions recipe, IDataSource source)
    {
        using var folder = new TempFolder();
        using var setup = TrainingSetup.Create(recipe, folder.Path, [source]);
        return new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("test-run", folder.Path), NullLogger.Instance).Run(CancellationToken.None);
    }

    /// <summary>Keeps a copy of every training batch's inputs and targets.</summary>
    private sealed class BatchRecorder : TrainingCallback
    {
        public List<float[]> X { get; } = [];
        public List<long[]> Y { get; } = [];

        public override void OnBatchStart(BatchContext context)
        {
            X.Add(Values(context.Inputs));
            Y.Add(Longs(context.Targets));
        }
    }

    /// <summary>Keeps a copy of every training batch's float targets.</summary>
    private sealed class TargetRecorder : TrainingCallback
    {
        public List<float[]> Y { get; } = [];

        public override void OnBatchStart(BatchContext context) => Y.Add(Values(context.Targets));
    }

    private sealed class CancelAtStep(long step, CancellationTokenSource cancel) : TrainingCallback
    {
        public override void OnBatchEnd(BatchContext context)
        {
            if (context.GlobalStep == step) cancel.Cancel();
        }
    }

    private sealed class CaptureAt(int epoch, int batch) : TrainingCallback
    {
        public TrainingCheckpoint? Checkpoint { get; private set; }

        public override void OnBatchEnd(BatchContext context)
        {
            if (context.Epoch == epoch && context.BatchIndex == batch) Checkpoint = context.CaptureCheckpoint("test");
        }
    }

    /// <summary>
    /// Examples of 1 × 4 × 4 bytes, pixel j of example i being <see cref="Pixel"/>(i, j), labels i mod classes; reading
    /// <see cref="FailAt"/> throws as a corrupt image file would.
    /// </summary>
    private sealed class SyntheticStore(long count, int classes = 3) : ExampleStore
    {
        private readonly Tensor labels = tensor(Enumerable.Range(0, (int)count).Select(i => (long)(i % classes)).ToArray());

        public long? FailAt { get; init; }

        public Action<long>? BeforeRead { get; set; }

        public static byte Pixel(long example, int index) => (byte)((example * 7 + index * 3) % 256);

        public override long Count => count;
        public override long[] FeatureShape => [1, 4, 4];
        public override ScalarType FeatureType => ScalarType.Byte;
        public override Tensor Labels => labels;
        public override int ClassCount => classes;

        public override void ReadFeatures(long index, Span<byte> destination)
        {
            BeforeRead?.Invoke(index);
            if (index == FailAt) throw new RecipeException($"Data file 'images/{index}.png' is corrupt (bad PNG header). Replace it or remove it.");
            for (var j = 0; j < 16; j++) destination[j] = Pixel(index, j);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) labels.Dispose();
        }
    }

    /// <summary><c>Data:Source = "synthetic"</c>: a store opened fresh for each load, with its own small test split.</summary>
    private sealed class StoreSource(Func<ExampleStore> open) : IStreamingDataSource
    {
        public string Name => "synthetic";

        public RawData Load(DataOptions options)
        {
            using var store = open();
            var pixels = new byte[store.Count * 16];
            for (var i = 0; i < store.Count; i++) store.ReadFeatures(i, pixels.AsSpan(i * 16, 16));
            var train = new Dataset(tensor(pixels).view(store.Count, 1, 4, 4), store.Labels.clone(), store.ClassCount);
            return new RawData(train, train.Select(arange(0, 10)));
        }

        public StreamedData Open(DataOptions options)
        {
            var train = open();
            return new StreamedData(train, new TestStore(train));
        }
    }

    /// <summary>The first ten examples of another store, as a test split.</summary>
    private sealed class TestStore(ExampleStore of) : ExampleStore
    {
        private readonly Tensor labels = of.Labels.narrow(0, 0, 10).clone();
        public override long Count => 10;
        public override long[] FeatureShape => of.FeatureShape;
        public override ScalarType FeatureType => of.FeatureType;
        public override Tensor Labels => labels;
        public override int ClassCount => of.ClassCount;
        public override void ReadFeatures(long index, Span<byte> destination) => of.ReadFeatures(index, destination);

        protected override void Dispose(bool disposing)
        {
            if (disposing) labels.Dispose();
        }
    }
}
