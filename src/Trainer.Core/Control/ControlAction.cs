namespace Trainer.Control;

/// <summary>What a control command asks a running loop to do.</summary>
public enum ControlAction
{
    /// <summary>Set the learning rate: to <see cref="ControlCommand.Value"/>, or multiplied by <see cref="ControlCommand.Factor"/>.</summary>
    LearningRate,

    /// <summary>Pause before the next batch; the loop waits (paused time is not training time).</summary>
    Pause,

    /// <summary>Continue a paused run.</summary>
    Resume,

    /// <summary>Write a checkpoint now, through the run's checkpoint callback.</summary>
    Checkpoint,

    /// <summary>Stop after the current batch with status <c>stopped</c>: checkpoint and summary as on SIGTERM, exit code 0.</summary>
    Stop,
}
