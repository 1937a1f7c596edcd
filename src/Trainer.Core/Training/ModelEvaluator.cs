using Trainer.Data;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>Evaluates a classifier on a data set: mean cross-entropy and accuracy, in evaluation mode.</summary>
public static class ModelEvaluator
{
    /// <summary>
    /// Examples per forward pass during evaluation: large enough that per-op overhead does not matter, small enough
    /// that a chunk's activations (all kept until the chunk ends) stay small: a CNN's 32-channel 28×28 maps take 51 MB
    /// per layer output at 512 examples, 205 MB at 2,048.
    /// </summary>
    public const int BatchSize = 512;

    /// <summary>
    /// Mean loss and accuracy of <paramref name="model"/> on <paramref name="data"/> (no gradients, one host sync);
    /// the model is put back in training mode afterwards.
    /// </summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Dataset data, Device device)
    {
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var lossSum = zeros(1, ScalarType.Float64, device);
            using var correct = zeros(1, ScalarType.Int64, device);
            using TorchSharp.Scalar one = 1;
            using var batches = DataBatches.Evaluation(data, BatchSize); // read ahead by workers on the streaming path // add_(Tensor) alone would make a Scalar per chunk, left to the finalizer
            for (long start = 0; start < data.Count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(BatchSize, data.Count - start);
                var (x, y) = batches.Get((int)(start / BatchSize), start, length);
                var logits = model.forward(x);
                lossSum.add_(nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64), one);
                correct.add_(logits.argmax(1).eq(y).sum(), one);
            }
            return (lossSum.item<double>() / data.Count, (double)correct.item<long>() / data.Count);
        }
        finally
        {
            model.train();
        }
    }
}
