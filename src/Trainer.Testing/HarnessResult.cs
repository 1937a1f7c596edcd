using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Training;

namespace Trainer.Testing;

/// <summary>What happened in a <see cref="CallbackHarness.Run"/>: how it ended, the hooks raised, the rates trained at, the log.</summary>
public sealed class HarnessResult
{
    /// <summary>How the run ended: completed, stopped early (a stop request), interrupted or failed.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Epochs recorded, restored ones included.</summary>
    public int EpochsCompleted => History.Count;

    /// <summary>The recorded metrics of every epoch, oldest first: scripted ones, lr, train_loss, train_accuracy and those callbacks set.</summary>
    public required IReadOnlyList<EpochMetrics> History { get; init; }

    /// <summary>The stop request that ended the run, if any.</summary>
    public required StopRequest? StopRequest { get; init; }

    /// <summary>The best epoch a callback reported (<see cref="CallbackContext.ReportBestEpoch"/>); null when none did.</summary>
    public required int? BestEpoch { get; init; }

    /// <summary>What a callback said the model holds for the test (<see cref="TrainEndContext.ReportTestedWeights"/>); null when none did.</summary>
    public required string? TestedWeights { get; init; }

    /// <summary>The epoch of <see cref="TestedWeights"/>, when they come from one.</summary>
    public required int? TestedEpoch { get; init; }

    /// <summary>The exception that failed the run (a hook's is wrapped in a <see cref="CallbackException"/>); null otherwise.</summary>
    public required Exception? Exception { get; init; }

    /// <summary>Why the run failed, as the trainer would report it; null unless <see cref="Status"/> is Failed.</summary>
    public required string? FailureMessage { get; init; }

    /// <summary>Every hook raised, in order.</summary>
    public required IReadOnlyList<HookCall> Hooks { get; init; }

    /// <summary>The hooks' names in the order they were raised, e.g. "OnTrainStart", "OnEpochStart", "OnBatchStart", ….</summary>
    public IEnumerable<string> HookNames => Hooks.Select(h => h.Hook);

    /// <summary>The learning rate each optimizer step of this run applied (after the OnBatchStart hooks), oldest first.</summary>
    public required IReadOnlyList<double> StepLearningRates { get; init; }

    /// <summary>The <c>lr</c> metric of every recorded epoch: its rate, or the mean over its steps when the rate changed within it.</summary>
    public IReadOnlyList<double> EpochLearningRates => History.Select(h => h[MetricNames.LearningRate] ?? double.NaN).ToList();

    /// <summary>Optimizer steps taken in all, restored ones included.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>
    /// What an epoch checkpoint written at the end of each epoch of this run holds (after every callback's OnEpochEnd and
    /// its <see cref="CallbackContext.AfterHook"/> actions), oldest first: pass one to <see cref="CallbackHarness.Run"/> to resume.
    /// </summary>
    public required IReadOnlyList<TrainingCheckpoint> Checkpoints { get; init; }

    /// <summary>The events logged during this run.</summary>
    public required IReadOnlyList<LoggedEvent> Events { get; init; }
}
