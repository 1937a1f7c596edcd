using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Optimizers;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Testing;

public sealed partial class CallbackHarness
{
    private readonly record struct EpochPass(double Loss, double Accuracy, double MeanLearningRate, bool Interrupted);

    /// <summary>
    /// Raises the callbacks' hooks for a whole run, in the loop's order and with its rules: a stop request from a batch
    /// hook ends the epoch after that batch (still validated and recorded), one from an epoch hook ends the run before the
    /// next epoch; a non-finite train_loss or val_loss fails the run after recording the epoch (<c>Training:TerminateOnNonFinite</c>);
    /// an exception from a hook fails it and raises OnException. The epoch's lr, train_loss and train_accuracy are
    /// computed from the steps as the loop does; the scripted metrics are then set.
    /// </summary>
    /// <param name="resume">
    /// A checkpoint to continue from (one of <see cref="HarnessResult.Checkpoints"/>, or a real one of the same model): it is
    /// restored as the trainer's <c>--resume</c> does, stateful callbacks' <see cref="IStatefulCallback.LoadState"/> included,
    /// and the run continues with the next epoch.
    /// </param>
    public HarnessResult Run(TrainingCheckpoint? resume = null)
    {
        using var setup = CreateSetup();
        var optimizer = (FakeOptimizer)setup.Optimizer;
        var pipeline = new CallbackPipeline(callbacks); // not disposed: the callbacks are the test's
        using var interrupt = new CancellationTokenSource();
        using var state = new TrainingState(setup, pipeline, new RunInfo(RunId, RunDirectory), Logger, interrupt.Token);
        var hooks = new List<HookCall>();
        var checkpoints = new List<TrainingCheckpoint>();
        var eventsBefore = Logger.Events.Count;
        var epochContext = new EpochContext(state);
        var batchContext = new BatchContext(state);
        var status = RunStatus.Completed;
        string? failure = null;
        Exception? error = null;

        try
        {
            if (resume is not null) TrainingLoop.Restore(state, resume);
            Raise(hooks, state, nameof(TrainingCallback.OnTrainStart), null, () => pipeline.TrainStart(state, new TrainContext(state)));
            for (var epoch = state.History.Count + 1; epoch <= setup.Recipe.Training.Epochs && state.StopRequest is null; epoch++)
            {
                state.Epoch = epoch;
                state.EpochValues = new Dictionary<string, double>();
                state.EpochRecorded = false;
                Raise(hooks, state, nameof(TrainingCallback.OnEpochStart), null, () => pipeline.EpochStart(state, epochContext));

                var pass = TrainEpoch(state, pipeline, batchContext, optimizer, interrupt, hooks);
                if (pass.Interrupted)
                {
                    status = RunStatus.Interrupted;
                    break;
                }
                var values = state.EpochValues;
                values[MetricNames.LearningRate] = pass.MeanLearningRate;
                values[MetricNames.TrainLoss] = pass.Loss;
                values[MetricNames.TrainAccuracy] = pass.Accuracy;
                foreach (var (name, value) in Metrics.ForEpoch(epoch)) values[name] = value;
                Raise(hooks, state, nameof(TrainingCallback.OnValidationEnd), null, () => pipeline.ValidationEnd(state, epochContext));

                var metrics = new EpochMetrics(epoch, 0, 0, new Dictionary<string, double>(values));
                state.History.Add(metrics);
                state.EpochRecorded = true;
                if (TrainingLoop.NonFiniteEpochFailure(setup.Recipe, metrics, state.GlobalStep) is { } nonFinite)
                {
                    status = RunStatus.Failed;
                    failure = nonFinite;
                    break;
                }
                Raise(hooks, state, nameof(TrainingCallback.OnEpochEnd), null, () => pipeline.EpochEnd(state, epochContext));
                checkpoints.Add(TrainingLoop.Capture(state, "epoch"));
            }

            if (status == RunStatus.Completed && state.StopRequest is not null) status = RunStatus.StoppedEarly;
            Raise(hooks, state, nameof(TrainingCallback.OnTrainEnd), null, () => pipeline.TrainEnd(state, new TrainEndContext(state, status)));
        }
        catch (Exception e)
        {
            status = RunStatus.Failed;
            error = e;
            failure = NativeErrors.Message(e);
            hooks.Add(new HookCall(nameof(TrainingCallback.OnException), state.Epoch, null, state.GlobalStep));
            pipeline.Exception(state, new ExceptionContext(state, e));
        }

        return new HarnessResult
        {
            Status = status,
            History = state.History.ToList(),
            StopRequest = state.StopRequest,
            BestEpoch = state.BestEpoch,
            TestedWeights = state.TestedWeights?.Description,
            TestedEpoch = state.TestedWeights?.Epoch,
            Exception = error,
            FailureMessage = failure,
            Hooks = hooks,
            StepLearningRates = optimizer.StepRates.ToList(),
            GlobalStep = state.GlobalStep,
            Checkpoints = checkpoints,
            Events = Logger.Events.Skip(eventsBefore).ToList(),
        };
    }

    private EpochPass TrainEpoch(TrainingState state, CallbackPipeline pipeline, BatchContext batch, FakeOptimizer optimizer,
        CancellationTokenSource interrupt, List<HookCall> hooks)
    {
        var setup = state.Setup;
        var parameters = optimizer.parameters().ToArray();
        var steps = state.StepsPerEpoch;
        double lossSum = 0, correctSum = 0, samples = 0, rateSum = 0, firstRate = double.NaN;
        var taken = 0;
        var constantRate = true;
        batch.BatchCount = steps;

        for (var b = 0; b < steps; b++)
        {
            using var scope = NewDisposeScope();
            var step = state.GlobalStep + 1;
            var start = (long)b * BatchSize;
            batch.BatchIndex = b;
            batch.Inputs = setup.Data.Train.Features.narrow(0, start, BatchSize);
            batch.Targets = setup.Data.Train.Labels.narrow(0, start, BatchSize);
            batch.BatchSize = BatchSize;
            batch.Logits = null;
            batch.Loss = null;
            Raise(hooks, state, nameof(TrainingCallback.OnBatchStart), b, () => pipeline.BatchStart(state, batch));

            // The rate this step uses, after the OnBatchStart hooks; the epoch's lr is exact when it did not change, else the mean.
            var rate = OptimizerFactory.GetLearningRate(optimizer);
            if (taken++ == 0) firstRate = rate;
            else constantRate &= rate == firstRate;
            rateSum += rate;
            WriteGradients(setup.Model, parameters, step);
            var loss = StepLoss?.Invoke(step) ?? Metrics.Get(MetricNames.TrainLoss, state.Epoch) ?? 1.0;
            var correct = (long)Math.Round((StepAccuracy?.Invoke(step) ?? Metrics.Get(MetricNames.TrainAccuracy, state.Epoch) ?? 0.5) * BatchSize);
            batch.Logits = zeros(BatchSize, ClassCount);
            batch.Loss = tensor((float)loss);
            batch.Correct = null;
            Raise(hooks, state, nameof(TrainingCallback.OnAfterBackward), b, () => pipeline.AfterBackward(state, batch));

            optimizer.step();
            state.GlobalStep++;
            batch.Correct = tensor(correct);
            lossSum += loss * BatchSize;
            correctSum += correct;
            samples += BatchSize;
            Raise(hooks, state, nameof(TrainingCallback.OnBatchEnd), b, () => pipeline.BatchEnd(state, batch));
            batch.Inputs = batch.Targets = null!;
            batch.Logits = batch.Loss = batch.Correct = null;

            if (InterruptAfterStep == state.GlobalStep) interrupt.Cancel();
            if (state.StopRequest is not null) break;
            if (state.CancellationToken.IsCancellationRequested) return new EpochPass(double.NaN, double.NaN, double.NaN, true);
        }
        var meanRate = taken == 0 ? OptimizerFactory.GetLearningRate(optimizer) : constantRate ? firstRate : rateSum / taken;
        return new EpochPass(lossSum / samples, correctSum / samples, meanRate, false);
    }

    /// <summary>Gives every parameter a zeroed gradient, then the scripted one (default: all ones).</summary>
    private void WriteGradients(nn.Module<Tensor, Tensor> model, TorchSharp.Modules.Parameter[] parameters, long step)
    {
        using (no_grad())
        {
            foreach (var parameter in parameters)
            {
                using var grad = parameter.grad;
                if (grad is not null)
                {
                    grad.zero_();
                    continue;
                }
                using var zero = zeros_like(parameter).DetachFromDisposeScope();
                parameter.grad = zero;
            }
            if (Gradients is null)
            {
                foreach (var parameter in parameters)
                {
                    using var grad = parameter.grad!;
                    grad.fill_(1.0);
                }
                return;
            }
        }
        Gradients(model, step);
    }

    private static void Raise(List<HookCall> hooks, TrainingState state, string hook, int? batch, Action dispatch)
    {
        hooks.Add(new HookCall(hook, state.Epoch, batch, state.GlobalStep));
        dispatch();
    }
}
