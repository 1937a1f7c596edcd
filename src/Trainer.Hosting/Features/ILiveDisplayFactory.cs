namespace Trainer.Hosting.Features;

/// <summary>Starts live displays of runs (Trainer.Terminal provides one); used when a run asks for live progress.</summary>
public interface ILiveDisplayFactory
{
    /// <summary>Whether a live display makes sense here (an interactive terminal, not a CI log).</summary>
    bool IsSupported { get; }

    /// <summary>Starts a display titled <paramref name="title"/>; disposing it ends the display.</summary>
    ILiveDisplay Start(string title);
}
