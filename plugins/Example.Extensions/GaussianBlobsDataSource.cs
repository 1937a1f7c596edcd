using Trainer.Data;
using Trainer.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace Example.Extensions;

/// <summary>
/// <c>"Data": { "Source": "gaussian-blobs", "Options": { "Examples": 600, "Classes": 3, "Features": 4, "Spread": 1 } }</c>:
/// a seeded synthetic table of <c>Classes</c> Gaussian blobs. Each class has a centre drawn from N(0, 3²) per feature;
/// example i belongs to class i mod <c>Classes</c> and lies at its centre plus N(0, <c>Spread</c>²) noise. Everything is
/// drawn from a generator of its own, so the data set depends on <c>Seed</c> only, not on <c>Training:Seed</c>.
/// </summary>
[DataSourceName("gaussian-blobs")]
public sealed class GaussianBlobsDataSource(GaussianBlobsOptions options) : IDataSource
{
    /// <inheritdoc />
    public string Name => "gaussian-blobs";

    /// <inheritdoc />
    public RawData Load(DataOptions data)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)options.Seed);
        var centres = randn(options.Classes, options.Features, generator: generator).mul_(3.0);
        var labels = arange(options.Examples, ScalarType.Int64).remainder_(options.Classes);
        var features = centres.index_select(0, labels).add_(randn(options.Examples, options.Features, generator: generator).mul_(options.Spread));
        // The data set outlives this scope; everything else made here is freed with it.
        return new RawData(new Dataset(features.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), options.Classes), Test: null);
    }
}
