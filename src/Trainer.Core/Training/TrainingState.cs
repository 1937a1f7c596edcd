using Microsoft.Extensions.Logging;
using Trainer.Callbacks;

namespace Trainer.Training;

/// <summary>The mutable progress of a run, shared by the loop and the hook contexts.</summary>
internal sealed class TrainingState(TrainingSetup setup, RunInfo run, ILogger logger, CancellationToken cancellationToken)
{
    public TrainingSetup Setup { get; } = setup;
    public RunInfo Run { get; } = run;
    public ILogger Logger { get; } = logger;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public int Epoch { get; set; }
    public long GlobalStep { get; set; }
    public List<EpochMetrics> History { get; } = [];
    public Dictionary<string, double> EpochValues { get; set; } = new();
    public StopRequest? StopRequest { get; set; }
    public int? BestEpoch { get; set; }
    public bool EpochRecorded { get; set; }
    public int StepsPerEpoch { get; } = TrainingLoop.BatchesPerEpoch(setup.Data.Train.Count, setup.Recipe.Training.BatchSize);
    public TrainingCallback? CurrentCallback { get; set; }
}
