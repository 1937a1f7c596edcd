using Trainer.Callbacks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Plugins.TensorBoard;

/// <summary>
/// Writes TensorBoard event files to <c>RUN_DIR/tensorboard/</c>: every epoch metric as a scalar (train_loss,
/// val_accuracy, lr, EWMAs, …) at the epoch number, and optionally histograms of the parameters. Open them with
/// <c>tensorboard --logdir RUN_DIR/tensorboard</c>.
/// </summary>
[CallbackName("TensorBoard")]
public sealed class TensorBoardCallback(TensorBoardOptions options) : TrainingCallback
{
    private readonly HookFilter histograms = HookFilter.EveryN(options.HistogramEvery);
    private SummaryWriter? writer;


    /// <summary>The folder the events go to; null before training starts.</summary>
    public string? LogDirectory => writer?.LogDir;

    /// <inheritdoc />
    public override void OnTrainStart(TrainContext context)
    {
        var folder = Path.Combine(context.RunDirectory, options.Folder);
        Directory.CreateDirectory(folder);
        writer = utils.tensorboard.SummaryWriter(folder, createRunName: false);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        if (writer is null) return;
        foreach (var (name, value) in context.Metrics)
            if (double.IsFinite(value)) writer.add_scalar(name, (float)value, context.Epoch);
        if (!histograms.IsDue(context.Epoch)) return;
        foreach (var (name, parameter) in context.Model.named_parameters())
        {
            using var values = parameter.detach().cpu();
            writer.add_histogram(name, values, context.Epoch);
        }
    }
}
