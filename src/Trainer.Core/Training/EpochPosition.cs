using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>Where the current epoch stands: its data order, the next batch and its running sums (kept on the device).</summary>
internal sealed class EpochPosition(Tensor order, Tensor lossSum, Tensor correct) : IDisposable
{
    public Tensor Order { get; } = order;
    public Tensor LossSum { get; } = lossSum;
    public Tensor Correct { get; } = correct;
    public int NextBatch { get; set; }
    public long Samples { get; set; }
    public double TrainSecondsBefore { get; init; }

    public void Dispose()
    {
        Order.Dispose();
        LossSum.Dispose();
        Correct.Dispose();
    }
}
