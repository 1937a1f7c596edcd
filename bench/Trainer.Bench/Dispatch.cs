using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Bench;

/// <summary>
/// The callback pipeline alone: the three per-batch hooks (BatchStart, AfterBackward, BatchEnd) dispatched to 0, 5 and
/// 20 callbacks that override them with empty bodies, timed over a million steps after a warm-up.
/// </summary>
public static class Dispatch
{
    private sealed class NoOp(int n) : TrainingCallback
    {
        public override string Name => $"noop{n}";
        public override void OnBatchStart(BatchContext context) { }
        public override void OnAfterBackward(BatchContext context) { }
        public override void OnBatchEnd(BatchContext context) { }
    }

    /// <summary>Nanoseconds per step (three hooks) for each callback count.</summary>
    public static IReadOnlyList<(int Callbacks, double NanosecondsPerStep)> Measure(int steps = 1_000_000)
    {
        var recipe = new RecipeOptions
        {
            Name = "dispatch", Data = new DataOptions { Source = "digits" }, Model = new ModelOptions { Hidden = [8] },
            Training = new TrainingOptions { Epochs = 1, BatchSize = 64, Device = "cpu" },
        };
        var directory = Directory.CreateTempSubdirectory("trainer-bench-dispatch-").FullName;
        try
        {
            using var setup = TrainingSetup.Create(recipe, directory);
            var results = new List<(int, double)>();
            foreach (var count in new[] { 0, 5, 20 })
            {
                using var pipeline = new CallbackPipeline(Enumerable.Range(0, count).Select(i => (TrainingCallback)new NoOp(i)));
                using var state = new TrainingState(setup, pipeline, new RunInfo("dispatch", directory), NullLogger.Instance, CancellationToken.None);
                var batch = new BatchContext(state);
                for (var i = 0; i < steps / 10; i++) Step(pipeline, state, batch);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < steps; i++) Step(pipeline, state, batch);
                results.Add((count, clock.Elapsed.TotalNanoseconds / steps));
            }
            return results;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Step(CallbackPipeline pipeline, TrainingState state, BatchContext batch)
    {
        pipeline.BatchStart(state, batch);
        pipeline.AfterBackward(state, batch);
        pipeline.BatchEnd(state, batch);
    }
}
