namespace Trainer.Serving.Dashboard;

/// <summary>A study with its parameters and trials.</summary>
/// <param name="Name">The study's name.</param>
/// <param name="Direction">"maximize" or "minimize".</param>
/// <param name="Objective">The metric optimised.</param>
/// <param name="Parameters">The searched parameters, in the recipe's order.</param>
/// <param name="Trials">Every trial, by number.</param>
/// <param name="Objectives">A multi-objective study's objectives in order (the first is <paramref name="Objective"/>); null for one objective.</param>
internal sealed record DashboardStudy(string Name, string Direction, string Objective,
    IReadOnlyList<DashboardStudyParameter> Parameters, IReadOnlyList<DashboardStudyTrial> Trials, IReadOnlyList<DashboardStudyObjective>? Objectives = null)
{
    /// <summary>Each parameter's importance over the complete trials, largest first; empty when <see cref="ImportanceReason"/> says why.</summary>
    public IReadOnlyList<DashboardStudyImportance> Importance { get; init; } = [];

    /// <summary>Why there is no importance yet (e.g. fewer than 2 complete trials), else null.</summary>
    public string? ImportanceReason { get; init; }
}
