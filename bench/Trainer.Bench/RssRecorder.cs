using Trainer.Callbacks;

namespace Trainer.Bench;

/// <summary>Records the process's resident memory and the epoch's training throughput after every epoch.</summary>
internal sealed class RssRecorder : TrainingCallback
{
    public List<double> Megabytes { get; } = [];

    /// <summary>Each epoch's training samples/s (as the run measured it: the training phase only).</summary>
    public List<double> SamplesPerSecond { get; } = [];

    public override void OnEpochEnd(EpochContext context)
    {
        Megabytes.Add(Rss.CurrentMegabytes());
        SamplesPerSecond.Add(context.History[^1].SamplesPerSecond);
    }
}
