using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Tasks;

/// <summary>The running maximum of |ŷ − y|, kept on the device.</summary>
public sealed class MaxErrorAccumulator(Device device) : MetricAccumulator
{
    private readonly Tensor largest = zeros(1, ScalarType.Float64, device);
    private bool any;

    public override void Update(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        largest.copy_(maximum(largest, (predictions - targets).abs().max().to_type(ScalarType.Float64).unsqueeze(0)));
        any = true;
    }

    public override double Compute() => any ? largest.cpu().item<double>() : double.NaN;

    public override double[] SaveState() => [largest.cpu().item<double>(), any ? 1 : 0];

    public override void LoadState(double[] state)
    {
        using var value = tensor(new[] { state[0] }, ScalarType.Float64, largest.device);
        largest.copy_(value);
        any = state[1] > 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) largest.Dispose();
    }
}
