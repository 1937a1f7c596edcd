using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Training;

public sealed partial class TrainingLoop
{
    private const int EvaluationBatchSize = 2048;

    private readonly record struct EpochPass(double Loss, double Accuracy, long Samples, bool Interrupted);

    private EpochPass TrainEpoch(TrainingState state, BatchContext batch, Generator shuffle)
    {
        var train = setup.Data.Train;
        var model = setup.Model;
        var optimizer = setup.Optimizer;
        var batchSize = setup.Recipe.Training.BatchSize;
        var count = train.Count;
        var batches = (int)((count + batchSize - 1) / batchSize);
        // A final batch of one example breaks batch norm (TorchSharp silently outputs zeros); drop it.
        if (batches > 1 && count % batchSize == 1) batches--;

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

    /// <summary>Mean loss and accuracy of the model on <paramref name="data"/>, in evaluation mode, with one host sync.</summary>
    private (double Loss, double Accuracy) Evaluate(Data.Dataset data)
    {
        var model = setup.Model;
        model.eval();
        using var noGrad = no_grad();
        using var lossSum = zeros(1, ScalarType.Float64, setup.Device);
        using var correct = zeros(1, ScalarType.Int64, setup.Device);
        for (long start = 0; start < data.Count; start += EvaluationBatchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(EvaluationBatchSize, data.Count - start);
            var x = data.Features.narrow(0, start, length);
            var y = data.Labels.narrow(0, start, length);
            var logits = model.forward(x);
            lossSum.add_(nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64));
            correct.add_(logits.argmax(1).eq(y).sum());
        }
        model.train();
        return (lossSum.item<double>() / data.Count, (double)correct.item<long>() / data.Count);
    }
}
