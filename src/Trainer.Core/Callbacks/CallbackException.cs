namespace Trainer.Callbacks;

/// <summary>An exception thrown by a callback's hook, wrapped so the failure names the callback and the hook.</summary>
public sealed class CallbackException(string callback, string hook, Exception inner)
    : Exception($"Callback {callback} failed in {hook}: {inner.Message}", inner)
{
    /// <summary>The callback's name.</summary>
    public string Callback { get; } = callback;

    /// <summary>The hook that threw, e.g. "OnEpochEnd".</summary>
    public string Hook { get; } = hook;
}
