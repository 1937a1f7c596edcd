using System.Diagnostics;
using Trainer.Data;
using Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Bench;

/// <summary>
/// The hand-written TorchSharp loop a user would write instead of Trainer: the same data (loaded to tensors once),
/// model, initialisation, Adam, batch size, seed and threads; a seeded permutation per epoch, index_select batches,
/// one dispose scope per step, a validation pass per epoch; no callbacks, no logging, no checkpoints.
/// </summary>
public static class RawLoop
{
    /// <summary>Trains and measures.</summary>
    public static ChildResult Run(BenchModel model, int epochs)
    {
        var recipe = BenchSettings.Recipe(model, epochs);
        set_num_threads(BenchSettings.Threads);
        manual_seed(BenchSettings.Seed);
        using var data = DataPipeline.Load(recipe.Data, Directory.GetCurrentDirectory(), BenchSettings.Seed);
        using var net = ModelFactory.Create(recipe.Model, data.Train.FeatureShape, data.Train.ClassCount);
        using var optimizer = optim.Adam(net.parameters(), recipe.Optimizer.LearningRate);
        using var shuffle = new Generator((ulong)BenchSettings.Seed);
        var batch = recipe.Training.BatchSize;
        var count = data.Train.Count;
        var trainSeconds = 0.0;
        var epochSeconds = new List<double>();
        long samples = 0, steps = 0;
        var rss = new List<double>();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            net.train();
            var clock = Stopwatch.StartNew();
            using (var order = randperm(count, generator: shuffle))
            {
                for (long start = 0; start < count; start += batch)
                {
                    using var scope = NewDisposeScope();
                    var index = order.narrow(0, start, Math.Min(batch, count - start));
                    var x = data.Train.Features.index_select(0, index);
                    var y = data.Train.Labels.index_select(0, index);
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(net.forward(x), y);
                    loss.backward();
                    optimizer.step();
                    samples += index.shape[0];
                    steps++;
                }
            }
            trainSeconds += clock.Elapsed.TotalSeconds;
            epochSeconds.Add(clock.Elapsed.TotalSeconds);
            if (data.Validation is { } validation) _ = Validate(net, validation);
            rss.Add(Rss.CurrentMegabytes());
        }
        // After a warm-up epoch when there are several: every side measures epochs 2..N (libtorch's kernel selection,
        // the allocator and the JIT settle in the first).
        var measured = epochSeconds.Count > 1 ? epochSeconds.Skip(1).Sum() : trainSeconds;
        var share = epochSeconds.Count > 1 ? (epochSeconds.Count - 1.0) / epochSeconds.Count : 1;
        return new ChildResult("raw", samples * share / measured, steps * share / measured, Rss.PeakMegabytes(), [.. rss]);
    }

    private static double Validate(nn.Module<Tensor, Tensor> net, Dataset validation)
    {
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return nn.functional.cross_entropy(net.forward(validation.Features), validation.Labels).item<float>();
    }
}
