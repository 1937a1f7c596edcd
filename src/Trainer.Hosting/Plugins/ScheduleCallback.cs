using Trainer.Callbacks;
using Trainer.Schedules;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// Runs a plugin's <see cref="ILearningRateSchedule"/> as a callback: at the start of each epoch the learning rate
/// becomes the schedule's value for the completed epochs, from α0 = <see cref="CallbackContext.BaseLearningRate"/>
/// (<c>Optimizer:LearningRate</c>, rescaled by control commands). Being a pure
/// function of progress, it resumes exactly without state of its own.
/// </summary>
/// <param name="schedule">The schedule.</param>
public sealed class ScheduleCallback(ILearningRateSchedule schedule) : TrainingCallback
{
    /// <summary>The schedule it applies.</summary>
    public ILearningRateSchedule Schedule { get; } = schedule;

    /// <inheritdoc />
    public override string Name => Schedule.GetType().Name;

    /// <inheritdoc />
    public override void OnEpochStart(EpochContext context)
    {
        var rate = Schedule.LearningRate(context.BaseLearningRate, context.Epoch - 1);
        if (!(rate > 0) || !double.IsFinite(rate))
            throw new InvalidOperationException($"The schedule {Schedule.GetType().FullName} gave the learning rate {rate} for epoch {context.Epoch}; it must be a finite number above 0.");
        context.LearningRate = rate;
    }
}
