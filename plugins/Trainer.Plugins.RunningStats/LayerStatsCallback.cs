using System.Globalization;
using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Plugins.RunningStats;

/// <summary>
/// Per-layer statistics that show vanishing and exploding signals: on the first batch of a measured epoch, the
/// standard deviation of every hidden activation's output (<c>layer01_act_std</c>, … from input to output) and the L2
/// norm of every linear or convolution weight's gradient (<c>layer01_grad_norm</c>, …). Epoch 1's values are those of
/// the initial weights. The values stay on the device until the epoch's metrics are recorded (one host sync per
/// measured epoch); activations are captured by forward hooks during the real training step, so nothing is recomputed
/// and batch-norm statistics are untouched.
/// </summary>
[CallbackName("LayerStats")]
public sealed class LayerStatsCallback(LayerStatsOptions options) : TrainingCallback, IDisposable
{
    private readonly List<Action> hooks = [];
    private readonly List<Tensor> activations = [];
    private readonly List<Tensor> gradients = [];
    private bool capturing;


    /// <inheritdoc />
    public override void OnTrainStart(TrainContext context)
    {
        if (!options.Activations || hooks.Count > 0) return;
        foreach (var (_, module) in context.Model.named_modules())
        {
            if (module is TorchSharp.Modules.ReLU or TorchSharp.Modules.Tanh or TorchSharp.Modules.Sigmoid or TorchSharp.Modules.LeakyReLU
                && module is nn.Module<Tensor, Tensor> activation)
            {
                var remover = activation.register_forward_hook((_, _, output) =>
                {
                    if (capturing) activations.Add(output.detach().std().DetachFromDisposeScope());
                    return output;
                });
                hooks.Add(remover.remove);
            }
        }
    }

    /// <inheritdoc />
    public override void OnBatchStart(BatchContext context)
    {
        capturing = context.BatchIndex == 0 && (context.Epoch == 1 || (context.Epoch - 1) % options.EveryEpochs == 0);
        if (capturing) Clear();
    }

    /// <inheritdoc />
    public override void OnAfterBackward(BatchContext context)
    {
        if (!capturing) return;
        capturing = false;
        if (!options.Gradients) return;
        foreach (var (_, module) in context.Model.named_modules())
        {
            var weight = module switch
            {
                TorchSharp.Modules.Linear linear => linear.weight,
                TorchSharp.Modules.Convolution conv => conv.weight, // TorchSharp's Conv2d and Conv2dLayer
                _ => null,
            };
            if (weight?.grad is { } grad) gradients.Add(grad.norm().DetachFromDisposeScope());
        }
    }

    /// <inheritdoc />
    public override void OnValidationEnd(EpochContext context)
    {
        if (activations.Count + gradients.Count > 0)
        {
            // One host read for every layer's values.
            float[] values;
            using (var all = stack([.. activations, .. gradients]))
                values = all.to(ScalarType.Float32).cpu().data<float>().ToArray();
            for (var i = 0; i < activations.Count; i++) context.SetMetric(MetricName(i + 1, "act_std"), values[i]);
            for (var i = 0; i < gradients.Count; i++) context.SetMetric(MetricName(i + 1, "grad_norm"), values[activations.Count + i]);
        }
        Clear();
    }

    /// <summary>The metric name of a layer's statistic: <c>layer03_act_std</c>.</summary>
    public static string MetricName(int layer, string statistic) =>
        string.Create(CultureInfo.InvariantCulture, $"layer{layer:D2}_{statistic}");

    private void Clear()
    {
        foreach (var tensor in activations.Concat(gradients)) tensor.Dispose();
        activations.Clear();
        gradients.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Clear();
        foreach (var remove in hooks) remove();
        hooks.Clear();
    }
}
