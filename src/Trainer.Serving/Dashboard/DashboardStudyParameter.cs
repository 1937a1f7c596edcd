namespace Trainer.Serving.Dashboard;

/// <summary>A searched parameter and the scale its axis uses.</summary>
/// <param name="Name">The configuration path, e.g. Optimizer:LearningRate.</param>
/// <param name="Scale">"log", "linear", "one-minus-log" (1−value on a log axis), "int" or "categorical".</param>
/// <param name="Min">The range's low end (null for categorical).</param>
/// <param name="Max">The range's high end (null for categorical).</param>
/// <param name="Choices">The choices of a categorical parameter, else null.</param>
internal sealed record DashboardStudyParameter(string Name, string Scale, double? Min, double? Max, IReadOnlyList<string>? Choices);
