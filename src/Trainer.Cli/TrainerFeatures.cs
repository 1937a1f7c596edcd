using Trainer.Hosting.Features;
using Trainer.Reports;
using Trainer.Terminal;

namespace Trainer.Cli;

/// <summary>What the <c>trainer</c> tool plugs into the hosting composition root: PNG plots and the live terminal display.</summary>
internal static class TrainerFeatures
{
    /// <summary>Draws runs', experiments' and studies' plots.</summary>
    public static PngPlotter Plotter { get; } = new();

    /// <summary>The features of every run the tool starts.</summary>
    public static RunFeatures Runs { get; } = new() { Plotter = Plotter, LiveDisplay = new TerminalLiveDisplay() };
}
