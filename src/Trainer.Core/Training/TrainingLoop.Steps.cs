using System.Diagnostics;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Optimizers;
using static TorchSharp.torch;

namespace Trainer.Training;

public sealed partial class TrainingLoop
{
    private readonly record struct EpochPass(double Loss, double Accuracy, long Samples, double TrainSeconds, bool Interrupted, long? NonFiniteStep,
        double MeanLearningRate = double.NaN);

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
        var batchSize = setup.Recipe.Training.BatchSize;
        var device = setup.Device;
        var count = train.Count;
        var batches = state.StepsPerEpoch;
        var training = setup.Recipe.Training;
        var checkFinite = training.TerminateOnNonFinite ? HookFilter.EveryN(training.NonFiniteCheckEvery) : default;
        var clock = Stopwatch.StartNew();

        model.train();
        state.Position?.Dispose();
        EpochPosition position;
        using (NewDisposeScope())
        {
            // Built in a scope so the CPU intermediates of .to(device) are freed; the epoch's tensors are moved out.
            position = state.Position = resumed is null
                ? new EpochPosition(randperm(count, generator: state.Shuffle).to(device).MoveToOuterDisposeScope(),
                    zeros(1, ScalarType.Float64, device).MoveToOuterDisposeScope(), zeros(1, ScalarType.Int64, device).MoveToOuterDisposeScope())
                : new EpochPosition(tensor(resumed.Order).to(device).MoveToOuterDisposeScope(),
                    tensor(new[] { resumed.LossSum }).to(device).MoveToOuterDisposeScope(), tensor(new[] { resumed.Correct }).to(device).MoveToOuterDisposeScope())
                {
                    NextBatch = resumed.NextBatch, Samples = resumed.Samples, TrainSecondsBefore = resumed.TrainSeconds,
                };
        }
        batch.BatchCount = batches;
        double learningRateSum = 0, firstRate = double.NaN;
        var steps = 0;
        var constantRate = true;

        for (var b = position.NextBatch; b < batches; b++)
        {
            if (ApplyControl(state, batch, b)) return new EpochPass(double.NaN, double.NaN, position.Samples, Seconds(), true, null);
            using var scope = NewDisposeScope();
            var start = (long)b * batchSize;
            var length = Math.Min(batchSize, count - start);
            var index = position.Order.narrow(0, start, length);
            var x = state.Augmentation.Apply(train.Features.index_select(0, index));
            var y = train.Labels.index_select(0, index);

            batch.BatchIndex = b;
            batch.Inputs = x;
            batch.Targets = y;
            batch.Logits = null;
            batch.Loss = null;
            pipeline.BatchStart(state, batch);

            var rate = OptimizerFactory.GetLearningRate(optimizer); // the rate this step uses, after BatchStart hooks
            if (steps++ == 0) firstRate = rate;
            else constantRate &= rate == firstRate;
            learningRateSum += rate;
            optimizer.zero_grad();
            var logits = model.forward(x);
            var loss = nn.functional.cross_entropy(logits, y);
            loss.backward();
            batch.Logits = logits;
            batch.Loss = loss;
            batch.Correct = null;
            pipeline.AfterBackward(state, batch);

            optimizer.step();
            state.GlobalStep++;
            using (no_grad())
            {
                var detached = loss.detach();
                position.LossSum.add_(detached, alpha: length);
                var correct = logits.argmax(1).eq(y).sum();
                position.Correct.add_(correct);
                batch.Correct = correct;
                if (training.TerminateOnNonFinite)
                {
                    // Remember the first non-finite step on the device; the host looks only every NonFiniteCheckEvery steps.
                    var first = state.FirstNonFiniteStep!;
                    first.masked_fill_(first.lt(0).logical_and(detached.isfinite().logical_not()), state.GlobalStep);
                }
            }
            position.Samples += length;
            position.NextBatch = b + 1;
            pipeline.BatchEnd(state, batch);
            batch.Inputs = batch.Targets = null!;
            batch.Logits = batch.Loss = batch.Correct = null;

            if (checkFinite.IsDue(state.GlobalStep) && NonFiniteStep(state) is { } bad)
                return new EpochPass(double.NaN, double.NaN, position.Samples, Seconds(), false, bad);
            if (state.StopRequest is not null) break;
            if (state.CancellationToken.IsCancellationRequested) return new EpochPass(double.NaN, double.NaN, position.Samples, Seconds(), true, null);
        }

        var nonFinite = training.TerminateOnNonFinite ? NonFiniteStep(state) : null;
        // The rate the epoch trained at: exact when it did not change, else the mean over its steps.
        var meanRate = steps == 0 ? OptimizerFactory.GetLearningRate(optimizer) : constantRate ? firstRate : learningRateSum / steps;
        return new EpochPass(position.LossSum.item<double>() / position.Samples, (double)position.Correct.item<long>() / position.Samples,
            position.Samples, Seconds(), false, nonFinite, meanRate);

        double Seconds() => position.TrainSecondsBefore + clock.Elapsed.TotalSeconds;
    }

    private static long? NonFiniteStep(TrainingState state)
    {
        var step = state.FirstNonFiniteStep!.item<long>();
        return step >= 0 ? step : null;
    }
}
