using Trainer.Callbacks;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: scripted-metric
/// <summary>Sets metric <paramref name="name"/> to a scripted value every epoch, replacing what the run measured.</summary>
internal sealed class ScriptedMetricCallback(string name, params double[] values) : TrainingCallback
{
    public override void OnValidationEnd(EpochContext context) => context.SetMetric(name, values[context.Epoch - 1]);
}
// end-snippet
