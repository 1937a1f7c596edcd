using System.Globalization;
using Trainer.Callbacks;
using Trainer.Control;
using Trainer.Optimizers;

namespace Trainer.Training;

public sealed partial class TrainingLoop
{
    /// <summary>
    /// The channel through which the run is steered while it trains (learning rate, pause, checkpoint now, stop); null
    /// when nobody steers it. Commands are applied at the start of the next batch, on the training thread.
    /// </summary>
    public TrainingControl? Control { get; init; }

    /// <summary>
    /// Publishes the position and applies pending control commands; returns true when the loop must end before this
    /// batch (a stop, or a shutdown while paused). The fast path is a few field writes: no device sync, no allocation.
    /// </summary>
    private bool ApplyControl(TrainingState state, BatchContext batch, int batchIndex)
    {
        if (Control is not { } control) return false;
        control.Publish(state.Epoch, batchIndex, state.GlobalStep);
        return (control.HasPending || control.Paused) && ApplyPending(control, state, batch);
    }

    private bool ApplyPending(TrainingControl control, TrainingState state, BatchContext context)
    {
        while (true)
        {
            while (control.TryTake(out var command)) Apply(control, state, context, command);
            if (state.CancellationToken.IsCancellationRequested) return true;
            if (!control.Paused) return false;
            if (!control.WaitForCommand(state.CancellationToken)) return true;
        }
    }

    private void Apply(TrainingControl control, TrainingState state, BatchContext context, ControlCommand command)
    {
        switch (command.Action)
        {
            case ControlAction.LearningRate:
                var current = OptimizerFactory.GetLearningRate(setup.Optimizer);
                var next = command.Value ?? current * command.Factor!.Value;
                if (!(next > 0) || !double.IsFinite(next) || next < control.LearningRateRange.Min || next > control.LearningRateRange.Max)
                {
                    Log.ControlRefused(logger, command.Name, command.Source, $"the learning rate would become {next.ToString(CultureInfo.InvariantCulture)}, " +
                        $"outside {control.LearningRateRange.Min.ToString(CultureInfo.InvariantCulture)} to {control.LearningRateRange.Max.ToString(CultureInfo.InvariantCulture)}");
                    return;
                }
                // The schedules compute from the base rate, so scaling it by the same ratio makes them continue from the new rate.
                var baseBefore = state.BaseLearningRate;
                state.BaseLearningRate = baseBefore * (next / current);
                OptimizerFactory.SetLearningRate(setup.Optimizer, next);
                Raised(MetricNames.LearningRate, current, next);
                Log.BaseLearningRate(logger, baseBefore, state.BaseLearningRate);
                break;
            case ControlAction.Pause when !control.Paused:
                control.Paused = true;
                Raised("status", "running", "paused");
                break;
            case ControlAction.Resume when control.Paused:
                control.Paused = false;
                Raised("status", "paused", "running");
                break;
            case ControlAction.Checkpoint:
                foreach (var writer in state.Pipeline.Callbacks.OfType<ICheckpointOnDemand>())
                {
                    try
                    {
                        Raised("checkpoint", null, writer.CheckpointNow(context, "request"));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Log.ControlRefused(logger, command.Name, command.Source, e.Message);
                    }
                }
                break;
            case ControlAction.Stop:
                control.RequestStop();
                Raised("status", control.Paused ? "paused" : "running", "stopped");
                break;
        }

        void Raised(string field, object? before, object? after)
        {
            Log.ControlApplied(logger, command.Name, field, before, after, command.Source, state.Epoch, state.GlobalStep);
            control.Raise(new ControlApplied(command.Name, field, before, after, command.Source, state.Epoch, state.GlobalStep, DateTimeOffset.UtcNow));
        }
    }
}
