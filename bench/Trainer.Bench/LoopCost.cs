using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Plugins.Checkpoints;
using Trainer.Plugins.EarlyStopping;
using Trainer.Plugins.LearningRate;
using Trainer.Plugins.RunningStats;
using Trainer.Training;

namespace Trainer.Bench;

/// <summary>
/// Diagnostic: the training loop in one process, no hosting, on one set-up (MLP, fused Adam), one-epoch runs alternating
/// between no callbacks, each callback of the realistic set alone, and the whole set, so that the VM's drift hits all
/// of them alike. Reports each configuration's median samples/s.
/// </summary>
public static class LoopCost
{
    /// <summary>Median samples/s per configuration over <paramref name="rounds"/> rounds (after one warm-up epoch).</summary>
    public static IReadOnlyList<(string Configuration, double SamplesPerSecond)> Measure(int rounds)
    {
        var recipe = BenchSettings.Recipe(BenchModel.Mlp, 1);
        var directory = Directory.CreateTempSubdirectory("trainer-bench-loop-").FullName;
        try
        {
            using var setup = TrainingSetup.Create(recipe, directory);
            var configurations = new (string Name, Func<TrainingCallback[]> Callbacks)[]
            {
                ("no callbacks", () => []),
                ("RunningStats", () => [new RunningStatsCallback(new RunningStatsOptions { LogEvery = 50 })]),
                ("LearningRateSchedule", () => [new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.Exponential, Rate = 0.95 })]),
                ("EarlyStopping", () => [new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "val_loss", Patience = 100000 })]),
                ("Checkpoint", () => [new CheckpointCallback(new CheckpointOptions { EveryEpochs = 1, KeepLast = 2 })]),
            };
            var single = configurations.Skip(1).ToArray();
            configurations = [.. configurations, ("realistic set", () => [.. single.SelectMany(c => c.Callbacks())])];
            var measured = configurations.ToDictionary(c => c.Name, _ => new List<double>());
            Run(setup, directory, []); // warm-up
            for (var round = 0; round < rounds; round++)
                foreach (var (name, callbacks) in round % 2 == 0 ? configurations : configurations.Reverse())
                    measured[name].Add(Run(setup, directory, callbacks()));
            return [.. configurations.Select(c => (c.Name, Statistics.Median(measured[c.Name])))];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Run(TrainingSetup setup, string directory, TrainingCallback[] callbacks)
    {
        var runDirectory = Path.Combine(directory, Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(runDirectory);
        using var pipeline = new CallbackPipeline(callbacks);
        var result = new TrainingLoop(setup, pipeline, new RunInfo("loop", runDirectory), NullLogger.Instance).Run(CancellationToken.None);
        if (result.Status != RunStatus.Completed) throw new InvalidOperationException($"The loop run failed: {result.FailureMessage}");
        return result.SamplesPerSecond;
    }
}
