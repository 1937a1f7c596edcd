using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Training;

public sealed partial class TrainingLoop
{
    private readonly record struct EpochPass(double Loss, double Accuracy, long Samples, bool Interrupted);

    /// <summary>Training batches per epoch: a final batch of one example is dropped, since it breaks batch norm.</summary>
    internal static int BatchesPerEpoch(long count, int batchSize)
    {
        var batches = (int)((count + batchSize - 1) / batchSize);
        return batches > 1 && count % batchSize == 1 ? batches - 1 : batches;
    }

    private EpochPass TrainEpoch(TrainingState state, BatchContext batch, Generator shuffle)
    {
        var train = setup.Data.Train;
        var model = setup.Model;
        var optimizer = setup.Optimizer;
        var batchSize = setup.Recipe.Training.BatchSize;
        var count = train.Count;
        var batches = state.StepsPerEpoch;

        model.train();
        using var order = randperm(count, generator: shuffle).to(setup.Device);
        using var lossSum = zeros(1, ScalarType.Float64, setup.Device);
        using var correct = zeros(1, ScalarType.Int64, setup.Device);
        long samples = 0;
        batch.BatchCount = batches;

        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var start = (long)b * batchSize;
            var length = Math.Min(batchSize, count - start);
            var index = order.narrow(0, start, length);
            var x = train.Features.index_select(0, index);
            var y = train.Labels.index_select(0, index);

            batch.BatchIndex = b;
            batch.Inputs = x;
            batch.Targets = y;
            batch.Logits = null;
            batch.Loss = null;
            pipeline.BatchStart(state, batch);

            optimizer.zero_grad();
            var logits = model.forward(x);
            var loss = nn.functional.cross_entropy(logits, y);
            loss.backward();
            batch.Logits = logits;
            batch.Loss = loss;
            pipeline.AfterBackward(state, batch);

            optimizer.step();
            state.GlobalStep++;
            using (no_grad())
            {
                lossSum.add_(loss.detach().to_type(ScalarType.Float64) * length);
                correct.add_(logits.argmax(1).eq(y).sum());
            }
            samples += length;
            pipeline.BatchEnd(state, batch);
            batch.Inputs = batch.Targets = null!;
            batch.Logits = batch.Loss = null;

            if (state.StopRequest is not null) break;
            if (state.CancellationToken.IsCancellationRequested) return new EpochPass(double.NaN, double.NaN, samples, true);
        }

        return new EpochPass(lossSum.item<double>() / samples, (double)correct.item<long>() / samples, samples, false);
    }
}
