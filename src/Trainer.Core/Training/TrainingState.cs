using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>The mutable progress of a run, shared by the loop and the hook contexts.</summary>
internal sealed class TrainingState(TrainingSetup setup, CallbackPipeline pipeline, RunInfo run, ILogger logger, CancellationToken cancellationToken)
    : IDisposable
{
    public TrainingSetup Setup { get; } = setup;
    public CallbackPipeline Pipeline { get; } = pipeline;
    public RunInfo Run { get; } = run;
    public ILogger Logger { get; } = logger;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public int Epoch { get; set; }
    public long GlobalStep { get; set; }
    public List<EpochMetrics> History { get; } = [];
    public Dictionary<string, double> EpochValues { get; set; } = new();
    public StopRequest? StopRequest { get; set; }
    public int? BestEpoch { get; set; }
    public bool EpochRecorded { get; set; } = true;
    public int StepsPerEpoch { get; } = TrainingLoop.BatchesPerEpoch(setup.Data.Train.Count, setup.Recipe.Training.BatchSize);
    public TrainingCallback? CurrentCallback { get; set; }

    /// <summary>Weights loaded after training for the test (a restored best epoch, an average); null: the last epoch's.</summary>
    public (string Description, int? Epoch)? TestedWeights { get; set; }

    /// <summary>α0 of the learning-rate schedules: the recipe's rate, rescaled by control commands; checkpointed.</summary>
    public double BaseLearningRate { get; set; } = setup.Recipe.Optimizer.LearningRate;
    public Queue<(TrainingCallback Owner, Action Action)> Deferred { get; } = new();

    /// <summary>Augments training batches (a no-op unless Data:Augment is on).</summary>
    public Data.BatchAugmentation Augmentation { get; } = CreateAugmentation(setup);

    /// <summary>Shuffles the training data; its state is the data-order position between epochs.</summary>
    public Generator Shuffle { get; } = new((ulong)setup.Recipe.Training.Seed);

    /// <summary>The current epoch's order and sums; null before the first epoch.</summary>
    public EpochPosition? Position { get; set; }

    /// <summary>The first global step whose loss was not finite, or −1 (an int64 scalar on the device).</summary>
    public long? FirstNonFiniteStep { get; set; }

    /// <summary>Reads of device values to the host the loop has made (loss sums, accuracy, NaN checks, checkpoints).</summary>
    public long HostReads { get; set; }

    /// <summary>
    /// The first step whose training loss was NaN or infinite, checking the steps not yet checked (one host read when
    /// there are some); always null with <c>Training:TerminateOnNonFinite</c> off.
    /// </summary>
    public long? CheckNonFinite()
    {
        if (!Setup.Recipe.Training.TerminateOnNonFinite) return null;
        return FirstNonFiniteStep ??= Position?.FirstNonFiniteStep(this);
    }

    private static Data.BatchAugmentation CreateAugmentation(TrainingSetup setup)
    {
        using var scope = NewDisposeScope();
        // Shifted-in pixels must be black in the units the batches are in: the standardised value of 0.
        using var black = setup.Data.Normalization is { Mode: Data.NormalizationMode.PerChannel } n ? n.StandardizedZero().to(setup.Device) : null;
        return new Data.BatchAugmentation(setup.Recipe.Data.Augment, setup.Data.Train.FeatureShape, black);
    }

    public void Dispose()
    {
        Position?.Dispose();
        Shuffle.Dispose();
        Augmentation.Dispose();
    }
}
