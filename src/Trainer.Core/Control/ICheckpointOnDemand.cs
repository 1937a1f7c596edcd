using Trainer.Callbacks;

namespace Trainer.Control;

/// <summary>
/// A callback that can write a checkpoint when asked (<c>trainer ctl RUN_DIR checkpoint</c>); the Checkpoint plugin is
/// one. The loop calls it at a batch boundary, never during a hook.
/// </summary>
public interface ICheckpointOnDemand
{
    /// <summary>Writes a checkpoint of the run as it stands now and returns its path (null when none was written).</summary>
    /// <param name="context">The run's context at the batch boundary.</param>
    /// <param name="reason">Why, e.g. "request".</param>
    string? CheckpointNow(CallbackContext context, string reason);
}
