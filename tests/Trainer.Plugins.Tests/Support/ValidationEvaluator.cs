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
        var (loss, accuracy) = context.Evaluate(context.Data.Validation!);
        context.SetMetric(MetricNames.ValLoss, loss);
        context.SetMetric(MetricNames.ValAccuracy, accuracy);
    }
}
