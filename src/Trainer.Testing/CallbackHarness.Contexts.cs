using Trainer.Callbacks;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Testing;

public sealed partial class CallbackHarness
{
    /// <summary>
    /// The context of OnTrainStart before epoch 1, for calling one hook directly. All contexts built share one state: the
    /// last one built sets it. With a single callback, its stop requests and <see cref="CallbackContext.AfterHook"/>
    /// actions are attributed to it (run them with <see cref="RunAfterHookActions"/>); with several, to "trainer".
    /// </summary>
    public TrainContext TrainContext()
    {
        var state = Scratch(epoch: 0, globalStep: 0);
        state.EpochValues = new Dictionary<string, double>();
        return new TrainContext(state);
    }

    /// <summary>
    /// The context of an epoch hook in <paramref name="epoch"/> (from 1): <see cref="CallbackContext.History"/> holds the
    /// earlier epochs' scripted metrics, <see cref="EpochContext.Metrics"/> holds <paramref name="metrics"/> (default: the
    /// epoch's scripted ones), and the epoch is not recorded yet, so <see cref="EpochContext.SetMetric"/> works.
    /// </summary>
    public EpochContext EpochContext(int epoch, IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        var state = Scratch(epoch, (long)(epoch - 1) * StepsPerEpoch);
        state.EpochValues = new Dictionary<string, double>(metrics ?? Metrics.ForEpoch(epoch));
        return new EpochContext(state);
    }

    /// <summary>
    /// The context of a batch hook for batch <paramref name="batchIndex"/> (from 0) of <paramref name="epoch"/>:
    /// <see cref="BatchContext.Inputs"/>, <see cref="BatchContext.Targets"/>, zero <see cref="BatchContext.Logits"/>, the
    /// scripted <see cref="BatchContext.Loss"/> and <see cref="BatchContext.Correct"/>, and the parameters' scripted gradients
    /// are set; <see cref="CallbackContext.GlobalStep"/> counts the steps before this batch. The tensors live until the next
    /// context is built or the harness is disposed.
    /// </summary>
    public BatchContext BatchContext(int epoch, int batchIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchIndex, StepsPerEpoch);
        var state = Scratch(epoch, (long)(epoch - 1) * StepsPerEpoch + batchIndex);
        state.EpochValues = new Dictionary<string, double>();
        var step = state.GlobalStep + 1;
        var data = state.Setup.Data.Train;
        var start = (long)batchIndex * BatchSize;
        WriteGradients(state.Setup.Model, state.Setup.Optimizer.parameters().ToArray(), step);
        var loss = StepLoss?.Invoke(step) ?? Metrics.Get(MetricNames.TrainLoss, epoch) ?? 1.0;
        var correct = (long)Math.Round((StepAccuracy?.Invoke(step) ?? Metrics.Get(MetricNames.TrainAccuracy, epoch) ?? 0.5) * BatchSize);
        return new BatchContext(state)
        {
            BatchIndex = batchIndex,
            BatchCount = StepsPerEpoch,
            BatchSize = BatchSize,
            Inputs = Keep(data.Features.narrow(0, start, BatchSize)),
            Targets = Keep(data.Labels.narrow(0, start, BatchSize)),
            Logits = Keep(zeros(BatchSize, ClassCount)),
            Loss = Keep(tensor((float)loss)),
            Correct = Keep(tensor(correct)),
        };
    }

    /// <summary>The stop request made through the contexts built, if any.</summary>
    public StopRequest? StopRequest => scratchState?.StopRequest;

    /// <summary>The best epoch reported through the contexts built, if any.</summary>
    public int? ReportedBestEpoch => scratchState?.BestEpoch;

    /// <summary>The optimizer behind the contexts built (it records the rate of every step taken through it).</summary>
    public FakeOptimizer Optimizer => (FakeOptimizer)ScratchSetup().Optimizer;

    /// <summary>Runs the <see cref="CallbackContext.AfterHook"/> actions queued through the contexts built, as the pipeline does after a hook.</summary>
    public void RunAfterHookActions()
    {
        if (scratchState is null) return;
        while (scratchState.Deferred.Count > 0) scratchState.Deferred.Dequeue().Action();
    }

    private TrainingSetup ScratchSetup() => scratchSetup ??= CreateSetup();

    private TrainingState Scratch(int epoch, long globalStep)
    {
        ReleaseScratch();
        var setup = ScratchSetup();
        scratchState ??= new TrainingState(setup, new CallbackPipeline(callbacks), new RunInfo(RunId, RunDirectory), Logger, CancellationToken.None);
        var state = scratchState;
        state.Epoch = epoch;
        state.GlobalStep = globalStep;
        state.EpochRecorded = false;
        state.History.Clear();
        for (var e = 1; e < epoch; e++) state.History.Add(new EpochMetrics(e, 0, 0, Metrics.ForEpoch(e)));
        state.CurrentCallback = callbacks.Length == 1 ? callbacks[0] : null;
        return state;
    }

    private Tensor Keep(Tensor tensor)
    {
        scratchTensors.Add(tensor.DetachFromDisposeScope());
        return tensor;
    }

    private void ReleaseScratch()
    {
        foreach (var tensor in scratchTensors) tensor.Dispose();
        scratchTensors.Clear();
    }
}
