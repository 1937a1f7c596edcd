namespace Trainer.Callbacks;

/// <summary>
/// A callback whose memory (counters, best values, running averages) must survive a checkpoint and resume.
/// </summary>
public interface IStatefulCallback
{
    /// <summary>A key unique among the run's callbacks, e.g. "EarlyStopping[val_loss,min]".</summary>
    string StateKey { get; }

    /// <summary>Returns a snapshot of the callback's state.</summary>
    CallbackState SaveState();

    /// <summary>Restores a snapshot made by <see cref="SaveState"/>.</summary>
    void LoadState(CallbackState state);
}
