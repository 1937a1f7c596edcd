namespace Trainer.Search;

/// <summary>Draws a study's pictures (trials over time, parameters against the objective); Trainer.Reports provides one.</summary>
public interface IStudyPlotter
{
    /// <summary>Writes the plots of <paramref name="trials"/> into <paramref name="studyDirectory"/>; returns the files written.</summary>
    IReadOnlyList<string> PlotStudy(string studyDirectory, SearchSpec spec, IReadOnlyList<Trainer.Search.TrialRecord> trials);
}
