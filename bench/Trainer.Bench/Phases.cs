using System.Diagnostics;
using Trainer.Data;
using Trainer.Models;
using Trainer.Optimizers;
using static TorchSharp.torch;

namespace Trainer.Bench;

/// <summary>
/// Diagnostic mode: where a training step's time goes (zero_grad, forward and loss, backward, optimizer step) on the
/// MLP or the CNN, with the fused or the managed optimizer. CPU ops are synchronous, so a stopwatch around each phase is exact.
/// </summary>
public static class Phases
{
    /// <summary>Mean microseconds per phase over one epoch after a warm-up of 50 steps.</summary>
    public static PhaseResult Run(string implementation, BenchModel model)
    {
        var recipe = BenchSettings.Recipe(model, 1);
        recipe.Optimizer.Implementation = implementation;
        set_num_threads(BenchSettings.Threads);
        manual_seed(BenchSettings.Seed);
        using var data = DataPipeline.Load(recipe.Data, Directory.GetCurrentDirectory(), BenchSettings.Seed);
        using var net = ModelFactory.Create(recipe.Model, data.Train.FeatureShape, data.Train.ClassCount);
        using var optimizer = OptimizerFactory.Create(recipe.Optimizer, net.parameters());
        using var order = randperm(data.Train.Count);
        var batch = recipe.Training.BatchSize;
        var times = new double[4];
        var measured = 0;
        var clock = new Stopwatch();
        var steps = model == BenchModel.Cnn ? 150 : long.MaxValue; // the CNN's phases are stable long before an epoch ends
        for (long start = 0, step = 0; start + batch <= data.Train.Count && step < steps; start += batch, step++)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, batch);
            var x = data.Train.Features.index_select(0, index);
            var y = data.Train.Labels.index_select(0, index);
            var warm = step >= 50;
            clock.Restart();
            optimizer.zero_grad();
            Lap(0);
            var loss = nn.functional.cross_entropy(net.forward(x), y);
            Lap(1);
            loss.backward();
            Lap(2);
            optimizer.step();
            Lap(3);
            if (warm) measured++;

            void Lap(int phase)
            {
                if (warm) times[phase] += clock.Elapsed.TotalMicroseconds;
                clock.Restart();
            }
        }
        return new PhaseResult(model.ToString(), implementation, optimizer.GetType().Name, [.. times.Select(t => t / measured)]);
    }
}

/// <summary>Mean microseconds of zero_grad, forward + loss, backward and the optimizer step.</summary>
public sealed record PhaseResult(string Model, string Implementation, string Optimizer, double[] Microseconds);
