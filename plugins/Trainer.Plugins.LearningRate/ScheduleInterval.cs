namespace Trainer.Plugins.LearningRate;

/// <summary>How often the learning rate is recomputed.</summary>
public enum ScheduleInterval
{
    /// <summary>At the start of every epoch.</summary>
    Epoch,

    /// <summary>Before every optimizer step, at the fractional epoch reached so far.</summary>
    Step,
}
