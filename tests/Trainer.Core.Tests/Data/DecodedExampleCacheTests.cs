using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;
using static TorchSharp.torch;

namespace Trainer.Tests.Data;

/// <summary><c>Data:Cache disk</c>: each example read from its source once, then from the cache file, bit for bit; the file goes with the cache.</summary>
public sealed class DecodedExampleCacheTests
{
    [Test]
    public void EachExampleIsReadFromItsSourceOnceAndComesBackBitForBitFromSeveralThreads()
    {
        using var folder = new TempFolder();
        var source = new CountingStore(ScalarType.Byte, count: 300, width: 37);
        using var cache = new DecodedExampleCache(source, folder.Path);
        var order = Enumerable.Range(0, 300).Select(i => (long)i).ToArray();

        // Three epochs, each read by two threads at once in its own order, as the prefetch workers read.
        for (var epoch = 0; epoch < 3; epoch++)
        {
            new Random(epoch).Shuffle(order);
            var mismatches = 0;
            Parallel.For(0, 2, worker =>
            {
                var buffer = new byte[37];
                for (var i = worker; i < order.Length; i += 2)
                {
                    cache.ReadFeatures(order[i], buffer);
                    if (!buffer.SequenceEqual(CountingStore.Bytes(order[i], 37))) Interlocked.Increment(ref mismatches);
                }
            });
            Assert.That(mismatches, Is.Zero, $"epoch {epoch}: every example as the source wrote it");
        }

        Assert.That(source.Reads, Is.All.EqualTo(1), "each example read from the source once, in the first epoch");
        Assert.That(cache.SourceReads, Is.EqualTo(300));
        Assert.That(cache.Count, Is.EqualTo(300));
        Assert.That(cache.FeatureShape, Is.EqualTo(source.FeatureShape));
        Assert.That(cache.Describe(5), Is.EqualTo("example 5 of the counting store"));
    }

    [Test]
    public void Float32ExamplesAreCachedAsTheirExactBits()
    {
        using var folder = new TempFolder();
        var source = new CountingStore(ScalarType.Float32, count: 50, width: 9);
        using var cache = new DecodedExampleCache(source, folder.Path);
        var buffer = new float[9];

        for (var epoch = 0; epoch < 2; epoch++)
            for (var i = 0; i < 50; i++)
            {
                cache.ReadFeatures(i, buffer);
                Assert.That(buffer, Is.EqualTo(CountingStore.Floats(i, 9)), $"example {i}, epoch {epoch}");
            }

        Assert.That(source.Reads, Is.All.EqualTo(1));
    }

    [Test]
    public void TheCacheFileIsGoneWithTheCacheAndTheSourceIsDisposed()
    {
        using var folder = new TempFolder();
        var source = new CountingStore(ScalarType.Byte, count: 10, width: 4);
        var cache = new DecodedExampleCache(source, folder.Path);
        cache.ReadFeatures(3, new byte[4]);

        Assert.That(Path.GetDirectoryName(cache.Path), Is.EqualTo(folder.Path));
        if (!OperatingSystem.IsWindows()) Assert.That(Directory.GetFiles(folder.Path), Is.Empty, "unlinked at once: not even a killed run leaves it");
        cache.Dispose();

        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
        Assert.That(source.Disposed, Is.True);
    }

    [Test]
    public void ADirectoryThatCannotHoldTheCacheIsOneLineNamingTheSetting()
    {
        using var folder = new TempFolder();
        var blocker = folder.Write("not-a-folder", "a file where the folder would be");
        using var source = new CountingStore(ScalarType.Byte, count: 10, width: 4);

        var error = Assert.Throws<RecipeException>(() => new DecodedExampleCache(source, Path.Combine(blocker, "cache")));

        Assert.That(error!.Message, Does.StartWith($"Data:CacheDirectory '{Path.Combine(blocker, "cache")}' cannot hold the decoded-example cache:")
            .And.EndWith("Set Data:CacheDirectory to a writable folder, or Data:Cache to none."));
        Assert.That(source.Disposed, Is.False, "a cache that was not made does not take the source");
    }

    /// <summary>Example i's value j is a function of (i, j); counts every read per example.</summary>
    private sealed class CountingStore(ScalarType type, long count, int width) : ExampleStore
    {
        private readonly Tensor labels = zeros(count, dtype: ScalarType.Int64);
        private readonly int[] reads = new int[count];

        public IReadOnlyList<int> Reads => reads;
        public bool Disposed { get; private set; }
        public override long Count => count;
        public override long[] FeatureShape => [width];
        public override ScalarType FeatureType => type;
        public override Tensor Labels => labels;
        public override int ClassCount => 1;

        public static byte[] Bytes(long example, int width) => [.. Enumerable.Range(0, width).Select(j => (byte)((example * 31 + j * 7) % 256))];

        public static float[] Floats(long example, int width) => [.. Enumerable.Range(0, width).Select(j => MathF.Sqrt(example + 1) / (j + 3))];

        public override void ReadFeatures(long index, Span<byte> destination)
        {
            Interlocked.Increment(ref reads[index]);
            Bytes(index, width).CopyTo(destination);
        }

        public override void ReadFeatures(long index, Span<float> destination)
        {
            Interlocked.Increment(ref reads[index]);
            Floats(index, width).CopyTo(destination);
        }

        public override string Describe(long index) => $"example {index} of the counting store";

        protected override void Dispose(bool disposing)
        {
            if (disposing) labels.Dispose();
            Disposed = true;
        }
    }
}
