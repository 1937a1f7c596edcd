using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Tasks;

/// <summary>A plugin loss for the tests: the mean of log(cosh(ŷ − y)), named by the attribute.</summary>
[LossName("log-cosh")]
public sealed class LogCoshLoss : ILoss
{
    public string Name => "log-cosh";

    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    public Tensor Compute(Tensor outputs, Tensor targets) => (outputs - targets).cosh().log().mean();
}
