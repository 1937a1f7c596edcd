namespace Trainer.Control;

/// <summary>Why <see cref="TrainingControl.Submit"/> refused a command.</summary>
public enum ControlRejection
{
    /// <summary>The command itself is invalid (a learning rate of 0, NaN, both value and factor).</summary>
    Invalid,

    /// <summary>The run has ended; nothing can be changed any more.</summary>
    Ended,

    /// <summary>The run cannot do it (a checkpoint without a Checkpoint callback).</summary>
    Unavailable,
}
