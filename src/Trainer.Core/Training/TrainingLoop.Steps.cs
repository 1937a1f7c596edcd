using System.Diagnostics;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Optimizers;
using static TorchSharp.torch;

namespace Trainer.Training;

public sealed partial class TrainingLoop
{
    private readonly record struct EpochPass(double Loss, IReadOnlyDictionary<string, double>? Metrics, long Samples, double TrainSeconds, bool Interrupted,
        long? NonFiniteStep, double MeanLearningRate = double.NaN);

    /// <summary>Training batches per epoch: a final batch of one example is dropped, since it breaks batch norm.</summary>
    internal static int BatchesPerEpoch(long count, int batchSize)
    {
        var batches = (int)((count + batchSize - 1) / batchSize);
        return batches > 1 && count % batchSize == 1 ? batches - 1 : batches;
    }

    private EpochPass TrainEpoch(TrainingState state, BatchContext batch, PartialEpoch? resumed)
    {
        var train = setup.Data.Train;
        var model = setup.Model;
        var optimizer = setup.Optimizer;
        var parameters = optimizer.parameters().ToArray(); // zeroed each step without TorchSharp's per-call scalars
        var batchSize = setup.Recipe.Training.BatchSize;
        var device = setup.Device;
        var count = train.Count;
        var batches = state.StepsPerEpoch;
        var training = setup.Recipe.Training;
        var checkFinite = training.TerminateOnNonFinite ? HookFilter.EveryN(training.NonFiniteCheckEvery) : default;
        var clock = Stopwatch.StartNew();

        setup.EnterTrainingMode(); // model.train(), but batch-norm layers that Model:Freeze holds stay in evaluation mode
        state.Position?.Dispose();
        Tensor order;
        using (NewDisposeScope())
        {
            // Built in a scope so the CPU intermediates of .to(device) are freed; the epoch's order is moved out.
            order = (resumed is null ? randperm(count, generator: state.Shuffle) : tensor(resumed.Order)).to(device).MoveToOuterDisposeScope();
        }
        var task = setup.Task;
        var metrics = task.StartMetrics(device);
        if (resumed is not null) RestoreMetrics(metrics, resumed, task);
        var position = state.Position = resumed is null
            ? new EpochPosition(order, batches, batchSize, device, 0, state.GlobalStep, metrics)
            : new EpochPosition(order, batches, batchSize, device, resumed.NextBatch, state.GlobalStep, metrics)
            {
                LossSumBefore = resumed.LossSum, Samples = resumed.Samples, TrainSecondsBefore = resumed.TrainSeconds,
            };
        batch.BatchCount = batches;
        using var source = DataBatches.Training(train, position.Order, batchSize, position.NextBatch, batches);
        double learningRateSum = 0, firstRate = double.NaN;
        var steps = 0;
        var constantRate = true;

        for (var b = position.NextBatch; b < batches; b++)
        {
            if (ApplyControl(state, batch, b)) return new EpochPass(double.NaN, null, position.Samples, Seconds(), true, null);
            using var scope = NewDisposeScope();
            var start = (long)b * batchSize;
            var length = Math.Min(batchSize, count - start);
            var (inputs, y) = source.Get(b, start, length);
            var x = state.Augmentation.Apply(inputs);

            batch.BatchIndex = b;
            batch.Inputs = x;
            batch.Targets = y;
            batch.BatchSize = length;
            batch.Logits = null;
            batch.Loss = null;
            pipeline.BatchStart(state, batch);

            var rate = OptimizerFactory.GetLearningRate(optimizer); // the rate this step uses, after BatchStart hooks
            Control?.PublishLearningRate(rate);
            if (steps++ == 0) firstRate = rate;
            else constantRate &= rate == firstRate;
            learningRateSum += rate;
            Gradients.ZeroGradients(parameters);
            var logits = model.forward(x);
            var loss = task.Loss.Compute(logits, y);
            loss.backward();
            batch.Logits = logits;
            batch.Loss = loss;
            batch.Correct = null;
            pipeline.AfterBackward(state, batch);

            optimizer.step();
            state.GlobalStep++;
            using (no_grad())
            {
                // Two small device ops per step for the epoch's loss and NaN check, a few for each metric (three for accuracy); no host read.
                position.StepLosses[b].copy_(loss);
                var correct = task.Kind == Tasks.TaskKind.Classification ? logits.argmax(1).eq(y).sum() : null;
                position.Metrics.Update(logits, y, correct);
                batch.Correct = correct;
            }
            position.Samples += length;
            position.NextBatch = b + 1;
            pipeline.BatchEnd(state, batch);
            batch.Inputs = batch.Targets = null!;
            batch.Logits = batch.Loss = batch.Correct = null;

            if (checkFinite.IsDue(state.GlobalStep) && state.CheckNonFinite() is { } bad)
                return new EpochPass(double.NaN, null, position.Samples, Seconds(), false, bad);
            if (state.StopRequest is not null) break;
            if (state.CancellationToken.IsCancellationRequested) return new EpochPass(double.NaN, null, position.Samples, Seconds(), true, null);
        }

        var nonFinite = state.CheckNonFinite();
        // The rate the epoch trained at: exact when it did not change, else the mean over its steps.
        var meanRate = steps == 0 ? OptimizerFactory.GetLearningRate(optimizer) : constantRate ? firstRate : learningRateSum / steps;
        var lossSum = position.LossSum(state);
        var trainMetrics = position.Metrics.Compute();
        state.HostReads += trainMetrics.Count;
        return new EpochPass(lossSum / position.Samples, trainMetrics, position.Samples, Seconds(), false, nonFinite, meanRate);

        double Seconds() => position.TrainSecondsBefore + clock.Elapsed.TotalSeconds;
    }

    // The metrics of the batches an interrupted epoch trained; a checkpoint from before tasks had kinds holds only the count of correct ones.
    private static void RestoreMetrics(Tasks.TaskMetrics metrics, PartialEpoch resumed, Tasks.TrainingTask task)
    {
        if (resumed.Metrics is { } states) metrics.LoadState(states);
        else if (task.Kind == Tasks.TaskKind.Classification)
            metrics.LoadState(new Dictionary<string, double[]> { ["accuracy"] = [resumed.Correct, resumed.Samples] });
    }
}
