using Trainer.Hosting.Experiments;
using Trainer.Hosting.Features;
using Trainer.Search;
using Trainer.Training;

namespace Trainer.Reports;

/// <summary>
/// Draws the PNG plots of runs (<see cref="RunPlots"/>), experiments (<see cref="ExperimentPlots"/>) and studies
/// (<see cref="StudyPlots"/>) with ScottPlot; what <c>trainer</c> uses. Pass it in <see cref="RunFeatures.Plotter"/> and to
/// <see cref="SearchRunner"/>, or register it with <c>AddTrainerPlots()</c> for an embedded run.
/// </summary>
public sealed class PngPlotter : IRunPlotter, IStudyPlotter
{
    /// <inheritdoc />
    public IReadOnlyList<string> PlotRun(string runDirectory, IReadOnlyList<EpochMetrics> history) => RunPlots.Write(runDirectory, history);

    /// <inheritdoc />
    public IReadOnlyList<string> PlotExperiment(string experimentDirectory, ExperimentSpec spec, ExperimentRecord record,
        IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> histories) => ExperimentPlots.Write(experimentDirectory, spec, record, histories);

    /// <inheritdoc />
    public IReadOnlyList<string> PlotStudy(string studyDirectory, SearchSpec spec, IReadOnlyList<TrialRecord> trials) =>
        StudyPlots.Write(studyDirectory, spec, trials);
}
