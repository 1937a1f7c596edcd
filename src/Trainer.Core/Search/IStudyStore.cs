namespace Trainer.Search;

/// <summary>
/// Durable storage of a study's trials, shared by every worker (processes, machines). Trial numbers are handed out
/// atomically; a trial left running by a dead worker (no heartbeat within the grace period) is marked failed.
/// </summary>
public interface IStudyStore : IDisposable
{
    /// <summary>
    /// Creates the study, or checks that an existing one has the same objective, direction and space, and the same
    /// <paramref name="objectives"/> (a multi-objective study's metrics and directions; null for a single objective).
    /// </summary>
    void EnsureStudy(string study, string objective, bool maximize, string spaceJson, IReadOnlyList<StudyObjective>? objectives = null);

    /// <summary>The study's objective, direction and space JSON, or null when there is no such study.</summary>
    (string Objective, bool Maximize, string SpaceJson)? Study(string study);

    /// <summary>A multi-objective study's objectives, in order; null for a single-objective study or no such study.</summary>
    IReadOnlyList<StudyObjective>? Objectives(string study);

    /// <summary>The names of every study in the store, in order of creation.</summary>
    IReadOnlyList<string> Studies();

    /// <summary>
    /// Atomically: marks stale running trials failed, and unless <paramref name="budget"/> trials are complete, pruned
    /// or running, takes the lowest-numbered interrupted trial back (running again, same number, parameters and run
    /// directory, so it resumes) or else numbers a new trial, asks <paramref name="sample"/> for its parameters given the
    /// study's trials (every state: samplers learn from the finished ones and keep away from the running ones), and stores it as running. Returns null when the budget is met.
    /// </summary>
    TrialRecord? StartTrial(string study, int budget, string worker, TimeSpan staleAfter,
        Func<int, IReadOnlyList<TrialRecord>, (IReadOnlyDictionary<string, string> Parameters, double[] Point)> sample);

    /// <summary>Records the trial's run directory.</summary>
    void SetRunDirectory(string study, int number, string runDirectory);

    /// <summary>Refreshes the trial's heartbeat (a worker does this while the trial trains, whatever its epochs last).</summary>
    void Heartbeat(string study, int number);

    /// <summary>Records an epoch's objective value and refreshes the trial's heartbeat.</summary>
    void Report(string study, int number, int epoch, double value);

    /// <summary>Ends a trial as complete, pruned or failed; <paramref name="values"/>: every objective's value in a multi-objective study.</summary>
    void Finish(string study, int number, TrialState state, double? value, string? failure, double[]? values = null);

    /// <summary>Every trial of the study, by number.</summary>
    IReadOnlyList<TrialRecord> Trials(string study);

    /// <summary>Every epoch value each trial reported, by trial number, in epoch order.</summary>
    IReadOnlyDictionary<int, IReadOnlyList<(int Epoch, double Value)>> ReportedValues(string study);

    /// <summary>
    /// The values other trials reported at <paramref name="epoch"/>: complete ones only, or with
    /// <paramref name="includeUnfinished"/> also pruned and running ones (every trial that reached the epoch).
    /// </summary>
    IReadOnlyList<double> ValuesAt(string study, int epoch, int exceptTrial, bool includeUnfinished = false);
}
