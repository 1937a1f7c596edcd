using Trainer.Tasks;

namespace Trainer.Runs;

/// <summary>A <see cref="ClassificationReport"/> as <c>evaluation.json</c> stores it.</summary>
public sealed record EvaluationClassification
{
    /// <summary>The class names, by class index.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Precision, recall, F1 and support of each class, by class index.</summary>
    public IReadOnlyList<ClassScores> Classes { get; init; } = [];

    /// <summary>Correct predictions over all examples.</summary>
    public double Accuracy { get; init; }

    /// <summary>The unweighted mean over the classes.</summary>
    public ClassScores? MacroAverage { get; init; }

    /// <summary>The support-weighted mean over the classes.</summary>
    public ClassScores? WeightedAverage { get; init; }

    /// <summary>Counts by actual class (outer array) and predicted class (inner array).</summary>
    public IReadOnlyList<IReadOnlyList<long>> Confusion { get; init; } = [];

    /// <summary>The stored form of <paramref name="report"/>.</summary>
    public static EvaluationClassification From(ClassificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var k = report.Classes.Count;
        return new EvaluationClassification
        {
            ClassNames = report.ClassNames,
            Classes = report.Classes,
            Accuracy = report.Accuracy,
            MacroAverage = report.MacroAverage,
            WeightedAverage = report.WeightedAverage,
            Confusion = Enumerable.Range(0, k).Select(a => (IReadOnlyList<long>)Enumerable.Range(0, k).Select(p => report.Confusion[a, p]).ToArray()).ToArray(),
        };
    }
}
