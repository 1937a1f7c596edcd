using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: data-source
/// <summary>
/// <c>"Data": { "Source": "spirals", "Options": { "Arms": 3 } }</c>: points on interleaved spiral arms in the plane,
/// one class per arm; point j of arm k is at radius r = j/n and angle 4r + 2πk/K plus noise.
/// </summary>
[DataSourceName("spirals")]
public sealed class SpiralsDataSource(SpiralsOptions options) : IDataSource
{
    public string Name => "spirals";

    public RawData Load(DataOptions data)
    {
        var (n, arms) = (options.PointsPerArm, options.Arms);
        var random = new Random(options.Seed);
        var features = new float[n * arms * 2];
        var labels = new long[n * arms];
        for (var k = 0; k < arms; k++)
        {
            for (var j = 0; j < n; j++)
            {
                var i = k * n + j;
                var radius = (double)j / n;
                var angle = 4 * radius + 2 * Math.PI * k / arms + options.Noise * Gaussian(random);
                features[2 * i] = (float)(radius * Math.Cos(angle));
                features[2 * i + 1] = (float)(radius * Math.Sin(angle));
                labels[i] = k;
            }
        }
        // Test: null holds out Data:TestFraction of the examples; the pipeline splits, standardises and batches them.
        return new RawData(new Dataset(tensor(features, [n * arms, 2]), tensor(labels), arms), Test: null);
    }

    private static double Gaussian(Random random) => // Box–Muller
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
// end-snippet
