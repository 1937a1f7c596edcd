using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// A metric computed from sums: each batch adds a float64 vector of sufficient statistics on the device (no host read),
/// the example count is kept on the host, and the metric is a formula of the sums.
/// </summary>
public sealed class SumAccumulator : MetricAccumulator
{
    private readonly Tensor sums;
    private readonly Func<Tensor, Tensor, Tensor> statistics;
    private readonly Func<double[], long, double> formula;
    private readonly TorchSharp.Scalar one = 1; // add_(Tensor) alone would make a Scalar per call, left to the finalizer
    private long count;

    /// <param name="length">How many sums.</param>
    /// <param name="device">Where the sums are kept.</param>
    /// <param name="statistics">A batch's sums from its predictions and targets (a float64 vector of <paramref name="length"/>).</param>
    /// <param name="formula">The metric from the sums and the number of examples.</param>
    public SumAccumulator(int length, Device device, Func<Tensor, Tensor, Tensor> statistics, Func<double[], long, double> formula)
    {
        sums = zeros(length, ScalarType.Float64, device);
        this.statistics = statistics;
        this.formula = formula;
    }

    /// <inheritdoc />
    public override void Update(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        sums.add_(statistics(predictions, targets).to_type(ScalarType.Float64), one);
        count += predictions.size(0);
    }

    /// <summary>Adds sums a caller already computed for a batch of <paramref name="examples"/> (a one-element count for accuracy).</summary>
    public void Add(Tensor batchSums, long examples)
    {
        sums.add_(batchSums, one);
        count += examples;
    }

    /// <inheritdoc />
    public override double Compute() => count == 0 ? double.NaN : formula(Read(), count);

    /// <inheritdoc />
    public override double[] SaveState() => [.. Read(), count];

    /// <inheritdoc />
    public override void LoadState(double[] state)
    {
        using var values = tensor(state[..^1], ScalarType.Float64);
        sums.copy_(values);
        count = (long)state[^1];
    }

    private double[] Read()
    {
        using var host = sums.cpu();
        return host.data<double>().ToArray();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            sums.Dispose();
            one.Dispose();
        }
    }
}
