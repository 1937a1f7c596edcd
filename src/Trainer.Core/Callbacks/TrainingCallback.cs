namespace Trainer.Callbacks;

/// <summary>
/// Base class of every callback: each hook is a virtual no-op, so a callback overrides only what it needs and a
/// misspelt hook fails to compile. Hooks run in recipe order on the training thread; contexts are valid only
/// during the call. An exception thrown from a hook fails the run (after <see cref="OnException"/> runs).
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>
    /// The name used in recipes, logs and stop reasons: the <see cref="CallbackNameAttribute"/>'s, else the class name
    /// without a trailing "Callback" (see <see cref="NameOf"/>).
    /// </summary>
    public virtual string Name => NameOf(GetType());

    /// <summary>The name of callback type <paramref name="callbackType"/>: its <see cref="CallbackNameAttribute"/>, else its class name without "Callback".</summary>
    public static string NameOf(Type callbackType)
    {
        ArgumentNullException.ThrowIfNull(callbackType);
        if (Attribute.GetCustomAttribute(callbackType, typeof(CallbackNameAttribute)) is CallbackNameAttribute named) return named.Name;
        var name = callbackType.Name;
        return name.EndsWith("Callback", StringComparison.Ordinal) && name.Length > "Callback".Length ? name[..^"Callback".Length] : name;
    }

    /// <summary>Called once, after the data, model and optimizer exist and before the first epoch.</summary>
    public virtual void OnTrainStart(TrainContext context) { }

    /// <summary>Called at the start of every epoch, before its first batch.</summary>
    public virtual void OnEpochStart(EpochContext context) { }

    /// <summary>Called before the forward pass of every training batch.</summary>
    public virtual void OnBatchStart(BatchContext context) { }

    /// <summary>Called after backward, when gradients are available and before the optimizer step.</summary>
    public virtual void OnAfterBackward(BatchContext context) { }

    /// <summary>Called after the optimizer step of every training batch.</summary>
    public virtual void OnBatchEnd(BatchContext context) { }

    /// <summary>Called after every epoch's validation, with the epoch's training and validation metrics.</summary>
    public virtual void OnValidationEnd(EpochContext context) { }

    /// <summary>Called at the end of every epoch, after <see cref="OnValidationEnd"/> and after the metrics were recorded.</summary>
    public virtual void OnEpochEnd(EpochContext context) { }

    /// <summary>Called once when training ends for any reason but an exception, before the test evaluation.</summary>
    public virtual void OnTrainEnd(TrainEndContext context) { }

    /// <summary>Called when training fails with an exception; for clean-up. Exceptions thrown here are logged, not rethrown.</summary>
    public virtual void OnException(ExceptionContext context) { }
}
