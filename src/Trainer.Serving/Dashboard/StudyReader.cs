using Trainer.Serving.Api;
using Trainer.Search;

namespace Trainer.Serving.Dashboard;

/// <summary>Reads studies from a study store for the dashboard: the list with counts and best values, and one study in full.</summary>
internal static class StudyReader
{
    public static IReadOnlyList<DashboardStudyEntry> List(IStudyStore store) =>
        store.Studies().Select(name => Entry(store, name)).OfType<DashboardStudyEntry>().ToList();

    public static DashboardStudy? Study(IStudyStore store, string name, Func<string, string?> runIdOf)
    {
        if (StoredStudy.Load(store, name) is not { } loaded) return null;
        var (spec, trials) = loaded;
        var importance = ParameterImportance.Estimate(spec.Space, trials);
        var front = StudyFront.Of(spec, trials).Select(t => t.Number).ToHashSet();
        return new DashboardStudy(name, Direction(spec.Maximize), spec.Objective,
            spec.Space.Select(p => Parameter(p.Path, p.Distribution)).ToList(),
            trials.Select(t => new DashboardStudyTrial(t.Number, State(t.State), EpochRow.Finite(t.Value), t.Parameters,
                t.RunDirectory is { } directory ? runIdOf(directory) : null, t.RunDirectory, t.Failure,
                spec.IsMultiObjective ? t.Values?.Select(v => EpochRow.Finite(v)).ToList() : null, spec.IsMultiObjective ? front.Contains(t.Number) : null)).ToList(),
            spec.IsMultiObjective ? spec.Objectives.Select(o => new DashboardStudyObjective(o.Metric, o.Direction)).ToList() : null)
            with { Importance = importance.Shares.Select(s => new DashboardStudyImportance(s.Parameter, s.Share)).ToList(), ImportanceReason = importance.Reason };
    }

    /// <summary>The trial run directories the store names (they may lie outside the runs folder).</summary>
    public static IEnumerable<string> RunDirectories(IStudyStore store) =>
        store.Studies().SelectMany(store.Trials).Select(t => t.RunDirectory).OfType<string>().Where(Directory.Exists);

    private static DashboardStudyEntry? Entry(IStudyStore store, string name)
    {
        if (store.Study(name) is not { } info) return null;
        var trials = store.Trials(name);
        var values = trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned).Select(t => EpochRow.Finite(t.Value)).OfType<double>().ToList();
        double? best = values.Count == 0 ? null : info.Maximize ? values.Max() : values.Min();
        return new DashboardStudyEntry(name, trials.Count, Count(trials, TrialState.Complete), Count(trials, TrialState.Running),
            Count(trials, TrialState.Failed), Count(trials, TrialState.Pruned), best, Direction(info.Maximize), info.Objective);
    }

    private static DashboardStudyParameter Parameter(string name, IDistribution distribution) => distribution switch
    {
        LogUniformDistribution d => new(name, "log", d.Min, d.Max, null),
        IntLogUniformDistribution d => new(name, "log", d.Min, d.Max, null),
        OneMinusLogUniformDistribution d => new(name, "one-minus-log", d.Min, d.Max, null),
        IntUniformDistribution d => new(name, "int", d.Min, d.Max, null),
        UniformDistribution d => new(name, "linear", d.Min, d.Max, null),
        CategoricalDistribution d => new(name, "categorical", null, null, d.Choices),
        _ => new(name, "linear", null, null, null),
    };

    private static int Count(IReadOnlyList<TrialRecord> trials, TrialState state) => trials.Count(t => t.State == state);

    private static string State(TrialState state) => state.ToString().ToLowerInvariant();

    private static string Direction(bool maximize) => maximize ? "maximize" : "minimize";

}
