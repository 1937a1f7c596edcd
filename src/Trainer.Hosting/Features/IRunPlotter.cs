using Trainer.Hosting.Experiments;
using Trainer.Training;

namespace Trainer.Hosting.Features;

/// <summary>
/// Draws the pictures of finished runs: a run's curves into its <c>plots/</c>, an experiment's overlaid curves. Optional:
/// a host without one writes no pictures (Trainer.Reports provides one; <c>trainer</c> always uses it).
/// </summary>
public interface IRunPlotter
{
    /// <summary>Writes the plots of one run's <paramref name="history"/> into <paramref name="runDirectory"/>; returns the files written.</summary>
    IReadOnlyList<string> PlotRun(string runDirectory, IReadOnlyList<EpochMetrics> history);

    /// <summary>Writes an experiment's comparison plots into <paramref name="experimentDirectory"/>; returns the files written.</summary>
    IReadOnlyList<string> PlotExperiment(string experimentDirectory, ExperimentSpec spec, ExperimentRecord record,
        IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> histories);
}
