using Trainer.Callbacks;
using Trainer.Training;

namespace Trainer.Plugins.Tests.Support;

/// <summary>
/// Sets val_loss and val_accuracy by evaluating the model on the validation split, as the training loop does before
/// OnValidationEnd, so a harness run has measured values where a callback compares with them. List it first.
/// </summary>
public sealed class ValidationEvaluator : TrainingCallback
{
    public override void OnValidationEnd(EpochContext context)
    {
        foreach (var (name, value) in context.Evaluate(context.Data.Validation!).Named(MetricNames.Val)) context.SetMetric(name, value);
    }
}
