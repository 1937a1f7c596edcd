using Trainer.Callbacks;

namespace Trainer.Bench;

/// <summary>Records the process's resident memory after every epoch.</summary>
internal sealed class RssRecorder : TrainingCallback
{
    public List<double> Megabytes { get; } = [];

    public override void OnEpochEnd(EpochContext context) => Megabytes.Add(Rss.CurrentMegabytes());
}
