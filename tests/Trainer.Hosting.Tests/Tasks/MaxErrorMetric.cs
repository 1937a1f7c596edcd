using Trainer.Tasks;

namespace Trainer.Hosting.Tests.Tasks;

/// <summary>A plugin metric for the tests: the largest absolute error of the pass, in the target's units (named by convention: "MaxError").</summary>
public sealed class MaxErrorMetric : IMetric
{
    public string Name => "MaxError";

    public bool HigherIsBetter => false;

    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    public MetricAccumulator Start(MetricSetting setting) => new MaxErrorAccumulator(setting.Device);
}
