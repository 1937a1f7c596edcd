using Trainer.Callbacks;

namespace Trainer.Hosting.Features;

/// <summary>A live display of one run on an interactive terminal, fed by its callback; log lines go through it.</summary>
public interface ILiveDisplay : IAsyncDisposable
{
    /// <summary>Where the run's human log lines go while the display runs.</summary>
    TextWriter LogWriter { get; }

    /// <summary>Creates the callback, added after the run's own, that feeds the display.</summary>
    TrainingCallback CreateCallback();
}
