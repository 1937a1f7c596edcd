using System.Globalization;
using System.Text;

namespace Trainer.Tasks;

/// <summary>
/// Per-class precision, recall, F1 and support, accuracy, their macro and support-weighted averages and the confusion
/// matrix of a classifier's predictions, with scikit-learn's conventions (<c>classification_report</c>,
/// <c>zero_division=0</c>): a ratio whose denominator is 0 is 0, and the macro F1 is the mean of the classes' F1.
/// </summary>
public sealed class ClassificationReport
{
    private ClassificationReport(long[,] confusion, IReadOnlyList<ClassScores> classes, double accuracy, ClassScores macro, ClassScores weighted)
    {
        Confusion = confusion;
        Classes = classes;
        Accuracy = accuracy;
        MacroAverage = macro;
        WeightedAverage = weighted;
    }

    /// <summary>Counts of examples by actual class (first index) and predicted class (second index).</summary>
    public long[,] Confusion { get; }

    /// <summary>One line per class, in class-index order.</summary>
    public IReadOnlyList<ClassScores> Classes { get; }

    /// <summary>The class names, in class-index order.</summary>
    public IReadOnlyList<string> ClassNames => Classes.Select(c => c.Name).ToList();

    /// <summary>Correct predictions over all examples; 0 without examples.</summary>
    public double Accuracy { get; }

    /// <summary>The unweighted mean of the classes' precision, recall and F1 (named "macro avg"; support: all examples).</summary>
    public ClassScores MacroAverage { get; }

    /// <summary>The mean of the classes' precision, recall and F1 weighted by support (named "weighted avg"; support: all examples).</summary>
    public ClassScores WeightedAverage { get; }

    /// <summary>The number of examples.</summary>
    public long Examples => MacroAverage.Support;

    /// <summary>The report of <paramref name="predicted"/> class indices against <paramref name="actual"/> ones.</summary>
    /// <param name="actual">Each example's true class index, in [0, classNames.Count).</param>
    /// <param name="predicted">Each example's predicted class index, in [0, classNames.Count).</param>
    /// <param name="classNames">The names of the classes, by index; at least one.</param>
    /// <exception cref="ArgumentException">The lists differ in length, there are no classes, or an index is out of range.</exception>
    public static ClassificationReport Create(IReadOnlyList<long> actual, IReadOnlyList<long> predicted, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(classNames);
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"{actual.Count} actual classes but {predicted.Count} predictions: give one prediction per example.", nameof(predicted));
        if (classNames.Count == 0) throw new ArgumentException("No class names: give one name per class.", nameof(classNames));
        var k = classNames.Count;
        var confusion = new long[k, k];
        for (var i = 0; i < actual.Count; i++)
        {
            Check(actual[i], k, i, nameof(actual));
            Check(predicted[i], k, i, nameof(predicted));
            confusion[actual[i], predicted[i]]++;
        }

        var classes = new List<ClassScores>(k);
        long correct = 0;
        for (var c = 0; c < k; c++)
        {
            long truePositives = confusion[c, c], support = 0, predictedAs = 0;
            for (var j = 0; j < k; j++)
            {
                support += confusion[c, j];
                predictedAs += confusion[j, c];
            }
            correct += truePositives;
            var precision = Ratio(truePositives, predictedAs);
            var recall = Ratio(truePositives, support);
            classes.Add(new ClassScores(classNames[c], precision, recall, Ratio(2 * precision * recall, precision + recall), support));
        }
        long total = actual.Count;
        var macro = new ClassScores("macro avg", classes.Average(c => c.Precision), classes.Average(c => c.Recall), classes.Average(c => c.F1), total);
        var weighted = new ClassScores("weighted avg", Weighted(classes, c => c.Precision, total), Weighted(classes, c => c.Recall, total),
            Weighted(classes, c => c.F1, total), total);
        return new ClassificationReport(confusion, classes, Ratio(correct, total), macro, weighted);
    }

    /// <summary>
    /// The report as text: scikit-learn's <c>classification_report</c> table (four decimals), then the confusion matrix with
    /// actual classes as rows and predicted classes as columns.
    /// </summary>
    public string ToText()
    {
        var invariant = CultureInfo.InvariantCulture;
        var width = Math.Max("weighted avg".Length, Classes.Max(c => c.Name.Length));
        var text = new StringBuilder();
        text.Append(' ', width + 1).Append(string.Create(invariant, $" {"precision",9} {"recall",9} {"f1-score",9} {"support",9}")).Append("\n\n");
        void Line(ClassScores s) => text.Append(s.Name.PadLeft(width)).Append(' ')
            .Append(string.Create(invariant, $" {s.Precision,9:0.0000} {s.Recall,9:0.0000} {s.F1,9:0.0000} {s.Support,9}")).Append('\n');
        foreach (var scores in Classes) Line(scores);
        text.Append('\n').Append("accuracy".PadLeft(width)).Append(' ', 21).Append(string.Create(invariant, $" {Accuracy,9:0.0000} {Examples,9}")).Append('\n');
        Line(MacroAverage);
        Line(WeightedAverage);

        text.Append("\nConfusion matrix (rows: actual, columns: predicted)\n\n");
        var k = Classes.Count;
        var cell = Math.Max(Classes.Max(c => c.Name.Length), Examples.ToString(invariant).Length);
        var rowLabel = Classes.Max(c => c.Name.Length);
        text.Append(' ', rowLabel);
        foreach (var scores in Classes) text.Append(' ').Append(scores.Name.PadLeft(cell));
        text.Append('\n');
        for (var a = 0; a < k; a++)
        {
            text.Append(Classes[a].Name.PadLeft(rowLabel));
            for (var p = 0; p < k; p++) text.Append(' ').Append(Confusion[a, p].ToString(invariant).PadLeft(cell));
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void Check(long index, int classes, int example, string name)
    {
        if (index < 0 || index >= classes)
            throw new ArgumentException($"{name}[{example}] is {index}, not a class index: there are {classes} classes (0 to {classes - 1}).", name);
    }

    private static double Weighted(List<ClassScores> classes, Func<ClassScores, double> value, long total) =>
        total == 0 ? 0 : classes.Sum(c => value(c) * c.Support) / total;

    // 0 when there is nothing to divide, as scikit-learn's zero_division=0.
    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
