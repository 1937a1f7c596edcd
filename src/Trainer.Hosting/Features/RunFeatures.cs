namespace Trainer.Hosting.Features;

/// <summary>
/// The optional parts a run uses when they are present: pictures of finished runs and a live terminal display. The
/// Hosting composition root stays small; <c>trainer</c> passes the Trainer.Reports and Trainer.Terminal implementations.
/// </summary>
public sealed record RunFeatures
{
    /// <summary>No pictures, no live display.</summary>
    public static RunFeatures None { get; } = new();

    /// <summary>Draws each finished run's and experiment's plots; null: none are drawn.</summary>
    public IRunPlotter? Plotter { get; init; }

    /// <summary>Shows a run's live progress when <see cref="RunRequest.LiveProgress"/> asks for it; null: plain log lines.</summary>
    public ILiveDisplayFactory? LiveDisplay { get; init; }
}
