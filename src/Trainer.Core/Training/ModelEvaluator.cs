using Trainer.Data;
using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>Evaluates a model on a data set: its task's mean loss and metrics, in evaluation mode.</summary>
public static class ModelEvaluator
{
    /// <summary>
    /// Examples per forward pass during evaluation: large enough that per-op overhead does not matter, small enough
    /// that a chunk's activations (all kept until the chunk ends) stay small: a CNN's 32-channel 28×28 maps take 51 MB
    /// per layer output at 512 examples, 205 MB at 2,048.
    /// </summary>
    public const int BatchSize = 512;

    /// <summary>
    /// Mean loss and accuracy of a classifier <paramref name="model"/> on <paramref name="data"/> (no gradients, one host
    /// sync); a model in training mode is put back in it afterwards.
    /// </summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Dataset data, Device device)
    {
        var result = Evaluate(model, data, device, TrainingTask.Classification(data.ClassCount));
        return (result.Loss, result.Metrics["accuracy"]);
    }

    /// <summary>
    /// The mean loss and every metric of <paramref name="task"/> for <paramref name="model"/> on <paramref name="data"/>
    /// (no gradients; one host read per value). A model in training mode is put back in it afterwards, except the layers
    /// that were in evaluation mode before (batch-norm layers that <c>Model:Freeze</c> holds); one in evaluation mode stays
    /// in it (a loaded <c>TrainedModel</c>, which other threads may be predicting with).
    /// </summary>
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, Dataset data, Device device, TrainingTask task)
    {
        var wasTraining = model.training;
        var inEvaluation = wasTraining ? model.modules().Where(m => !m.training).ToList() : [];
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var lossSum = zeros(1, ScalarType.Float64, device);
            using var metrics = task.StartMetrics(device);
            using var batches = DataBatches.Evaluation(data, BatchSize); // read ahead by workers on the streaming path
            for (long start = 0; start < data.Count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(BatchSize, data.Count - start);
                var (x, y) = batches.Get((int)(start / BatchSize), start, length);
                var outputs = model.forward(x);
                // The loss is a mean over the chunk: times its length, the chunks add up to the split's sum.
                using TorchSharp.Scalar weight = length; // held: a temporary Scalar would be left to the finalizer
                lossSum.add_(task.Loss.Compute(outputs, y).to_type(ScalarType.Float64), weight);
                metrics.Update(outputs, y);
            }
            return new Evaluation(lossSum.item<double>() / data.Count, metrics.Compute());
        }
        finally
        {
            if (wasTraining)
            {
                model.train();
                foreach (var layer in inEvaluation) layer.eval();
            }
        }
    }
}
