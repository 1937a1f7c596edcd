using Trainer.Callbacks;

namespace Trainer.Plugins.Tests.Support;

/// <summary>Adds metric <paramref name="name"/> with a scripted value per epoch, so a plugin can be driven by a known sequence.</summary>
public sealed class ScriptedMetricCallback(string name, params double[] values) : TrainingCallback
{
    public override void OnValidationEnd(EpochContext context) => context.SetMetric(name, values[context.Epoch - 1]);
}
