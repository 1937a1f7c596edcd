using Microsoft.Extensions.Logging;
using Trainer.Data;
using Trainer.Optimizers;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Callbacks;

/// <summary>What every hook sees: the run, the model and optimizer, progress, metrics, and a way to stop.</summary>
public abstract class CallbackContext
{
    private protected CallbackContext(TrainingState state) => State = state;

    private protected TrainingState State { get; }

    /// <summary>The run's id, e.g. "quickstart-20261123-101500-3fa2".</summary>
    public string RunId => State.Run.RunId;

    /// <summary>The run directory (log.clef, metrics.csv, summary.json, checkpoints).</summary>
    public string RunDirectory => State.Run.Directory;

    /// <summary>The bound recipe.</summary>
    public RecipeOptions Recipe => State.Setup.Recipe;

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model => State.Setup.Model;

    /// <summary>A new, freshly initialised instance of the run's model architecture on the CPU (see <see cref="TrainingSetup.CreateModel"/>).</summary>
    public nn.Module<Tensor, Tensor> CreateModel() => State.Setup.CreateModel();

    /// <summary>The optimizer.</summary>
    public optim.Optimizer Optimizer => State.Setup.Optimizer;

    /// <summary>The run's data splits, already on the training device.</summary>
    public DataSplits Data => State.Setup.Data;

    /// <summary>The training device.</summary>
    public Device Device => State.Setup.Device;

    /// <summary>The run's logger; its events carry the RunId.</summary>
    public ILogger Logger => State.Logger;

    /// <summary>The current epoch, counted from 1; 0 before the first epoch starts.</summary>
    public int Epoch => State.Epoch;

    /// <summary>The number of epochs the recipe asks for.</summary>
    public int Epochs => State.Setup.Recipe.Training.Epochs;

    /// <summary>Optimizer steps in one full epoch.</summary>
    public int StepsPerEpoch => State.StepsPerEpoch;

    /// <summary>Optimizer steps taken so far in the run.</summary>
    public long GlobalStep => State.GlobalStep;

    /// <summary>The learning rate of the optimizer; setting it changes every parameter group at once.</summary>
    public double LearningRate
    {
        get => OptimizerFactory.GetLearningRate(State.Setup.Optimizer);
        set => OptimizerFactory.SetLearningRate(State.Setup.Optimizer, value);
    }

    /// <summary>
    /// α0, the rate learning-rate schedules compute from: <c>Optimizer:LearningRate</c>, rescaled when the run is steered
    /// (setting the rate to r multiplies it by r / current rate; a factor multiplies it by the factor), so a schedule
    /// continues from the new rate. Restored by a resume.
    /// </summary>
    public double BaseLearningRate => State.BaseLearningRate;

    /// <summary>The metrics of every finished epoch, oldest first.</summary>
    public IReadOnlyList<EpochMetrics> History => State.History;

    /// <summary>Cancelled when the host is shutting down (Ctrl+C, SIGTERM, service stop).</summary>
    public CancellationToken CancellationToken => State.CancellationToken;

    /// <summary>The pending stop request, if any callback made one.</summary>
    public StopRequest? StopRequest => State.StopRequest;

    /// <summary>
    /// The best epoch as a callback that monitors a metric sees it (early stopping); written to summary.json as
    /// <c>bestEpoch</c>. Null until one reports; the trainer then uses the epoch with the lowest validation loss.
    /// </summary>
    public int? BestEpoch => State.BestEpoch;

    /// <summary>Reports the best epoch so far (see <see cref="BestEpoch"/>); the last report wins.</summary>
    public void ReportBestEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        State.BestEpoch = epoch;
    }

    /// <summary>
    /// Evaluates the model as it is now on <paramref name="data"/> (evaluation mode, no gradients, one host sync per value)
    /// and returns the task's mean loss and its metrics by name ("accuracy", "rmse", …); the model is back in training
    /// mode afterwards.
    /// </summary>
    public Evaluation Evaluate(Dataset data) => ModelEvaluator.Evaluate(Model, data, Device, State.Setup.Task);

    /// <summary>The run's task: its kind, loss, metrics (the first is the primary one) and the model's number of outputs.</summary>
    public Tasks.TrainingTask Task => State.Setup.Task;

    /// <summary>
    /// The first step whose training loss was NaN or infinite, or null while training is healthy (one host sync;
    /// always null with <c>Training:TerminateOnNonFinite</c> off). Check it before saving anything.
    /// </summary>
    public long? NonFiniteStep => State.CheckNonFinite();

    /// <summary>
    /// Runs <paramref name="action"/> once the current hook has been called on every callback, e.g. to write a
    /// checkpoint only after the callbacks listed later have updated their state for this epoch.
    /// </summary>
    public void AfterHook(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        State.Deferred.Enqueue((State.CurrentCallback ?? throw new InvalidOperationException("AfterHook can only be called from a hook."), action));
    }

    /// <summary>
    /// Captures everything needed to resume the run from this point (model, optimizer, RNGs, data position, history,
    /// stateful callbacks). Captured mid-epoch, it resumes mid-epoch. It synchronises with the device once.
    /// </summary>
    /// <param name="reason">Why: "epoch", "time", "best", "final", "interrupt".</param>
    public Checkpoints.TrainingCheckpoint CaptureCheckpoint(string reason) => TrainingLoop.Capture(State, reason);

    /// <summary>
    /// Captures the run as <see cref="CaptureCheckpoint"/> does and writes it to <paramref name="path"/> atomically (see
    /// <see cref="Checkpoints.CheckpointFile.Write"/>), serialising the model's and optimizer's states through reused
    /// buffers: no arrays of their size are allocated for them (callback states, such as an averaged model, are still
    /// serialised as JSON), so a checkpoint every epoch leaves no model-sized garbage.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="reason">Why: "epoch", "time", "best", "final", "interrupt".</param>
    public void WriteCheckpoint(string path, string reason) =>
        Checkpoints.CheckpointFile.Write(path, TrainingLoop.Capture(State, reason, shareBuffers: true));

    /// <summary>Asks the trainer to stop after the current step; the first request wins.</summary>
    /// <param name="reason">A short code, e.g. "patience-exhausted".</param>
    /// <param name="message">One sentence explaining why, for the log and the summary.</param>
    public void RequestStop(string reason, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        State.StopRequest ??= new StopRequest(reason, message, State.CurrentCallback?.Name ?? "trainer");
    }

    /// <summary>Asks the trainer to stop; the enum value becomes the reason code in kebab case.</summary>
    public void RequestStop<TReason>(TReason reason, string message) where TReason : struct, Enum =>
        RequestStop(ReasonCode.From(reason), message);
}
