namespace Trainer.Serving.Dashboard;

/// <summary>A study in the dashboard's list.</summary>
internal sealed record DashboardStudyEntry(string Name, int Trials, int Complete, int Running, int Failed, int Pruned,
    double? BestValue, string Direction, string Objective);
