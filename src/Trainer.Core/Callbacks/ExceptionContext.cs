using Trainer.Training;

namespace Trainer.Callbacks;

/// <summary>The context of <see cref="TrainingCallback.OnException"/>.</summary>
public sealed class ExceptionContext : CallbackContext
{
    internal ExceptionContext(TrainingState state, Exception exception) : base(state) => Exception = exception;

    /// <summary>The exception that ended training.</summary>
    public Exception Exception { get; }
}
