using Trainer.Callbacks;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>
/// Writes down what each hook's context holds at its first call (epoch 1, batch 0), evaluates the validation split
/// itself, and sets the learning rate to <see cref="SecondEpochRate"/> when epoch 2 starts.
/// </summary>
internal sealed class ContextProbe : TrainingCallback
{
    public const double SecondEpochRate = 0.005;

    public Dictionary<string, string> Facts { get; } = [];

    public List<(double Measured, double Evaluated)> ValidationLosses { get; } = [];

    public override void OnTrainStart(TrainContext context) => Facts.TryAdd(nameof(OnTrainStart),
        $"epoch={context.Epoch} step={context.GlobalStep} history={context.History.Count} lr={context.LearningRate} " +
        $"train={context.Data.Train.Count > 0} runDirectory={Directory.Exists(context.RunDirectory)} stepsPerEpoch={context.StepsPerEpoch}");

    public override void OnEpochStart(EpochContext context)
    {
        Facts.TryAdd(nameof(OnEpochStart), $"epoch={context.Epoch} metrics={context.Metrics.Count} history={context.History.Count}");
        if (context.Epoch == 2) context.LearningRate = SecondEpochRate;
    }

    public override void OnBatchStart(BatchContext context) => Facts.TryAdd(nameof(OnBatchStart),
        $"batch={context.BatchIndex}/{context.BatchCount} inputs={context.Inputs.shape[0]} targets={context.Targets.shape[0]} " +
        $"logits={context.Logits is not null} loss={context.Loss is not null} correct={context.Correct is not null} step={context.GlobalStep}");

    public override void OnAfterBackward(BatchContext context) => Facts.TryAdd(nameof(OnAfterBackward),
        $"logits={context.Logits is not null} loss={context.Loss is not null} correct={context.Correct is not null} " +
        $"gradients={context.Model.parameters().All(p => p.grad is not null)} step={context.GlobalStep}");

    public override void OnBatchEnd(BatchContext context) => Facts.TryAdd(nameof(OnBatchEnd),
        $"logits={context.Logits is not null} loss={context.Loss is not null} correct={context.Correct is not null} step={context.GlobalStep}");

    public override void OnValidationEnd(EpochContext context)
    {
        Facts.TryAdd(nameof(OnValidationEnd), $"metrics={string.Join(",", context.Metrics.Keys.Order(StringComparer.Ordinal))} history={context.History.Count}");
        ValidationLosses.Add((context.Metrics["val_loss"], context.Evaluate(context.Data.Validation!).Loss));
    }

    public override void OnEpochEnd(EpochContext context)
    {
        string setMetric;
        try
        {
            context.SetMetric("late", 1);
            setMetric = "accepted";
        }
        catch (InvalidOperationException)
        {
            setMetric = "refused";
        }
        Facts.TryAdd(nameof(OnEpochEnd), $"history={context.History.Count} last={context.History[^1].Epoch} setMetric={setMetric}");
    }

    public override void OnTrainEnd(TrainEndContext context) => Facts.TryAdd(nameof(OnTrainEnd), $"status={context.Status} epoch={context.Epoch}");
}
