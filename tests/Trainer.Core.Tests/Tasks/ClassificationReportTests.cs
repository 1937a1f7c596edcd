using Trainer.Tasks;

namespace Trainer.Core.Tests.Tasks;

public sealed class ClassificationReportTests
{
    private static readonly string[] Names = ["cat", "dog", "bird", "fish"];
    private static readonly long[] Actual = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
    private static readonly long[] Predicted = [0, 1, 0, 1, 2, 2, 2, 0, 2, 1];
    private const double Tolerance = 1e-12;

    // The expected numbers are scikit-learn 1.2.1's (Debian python3-sklearn):
    //   from sklearn.metrics import classification_report, confusion_matrix, precision_recall_fscore_support, accuracy_score
    //   y = [0,0,0,1,1,2,2,2,2,3]; p = [0,1,0,1,2,2,2,0,2,1]; labels = [0,1,2,3]
    //   confusion_matrix(y, p, labels=labels)                                            # [[2,1,0,0],[0,1,1,0],[1,0,3,0],[0,1,0,0]]
    //   precision_recall_fscore_support(y, p, labels=labels, zero_division=0)             # per class
    //   precision_recall_fscore_support(y, p, labels=labels, average='macro', zero_division=0)     # 0.4375, 0.47916666666666663, 0.45416666666666666
    //   precision_recall_fscore_support(y, p, labels=labels, average='weighted', zero_division=0)  # 0.5666666666666667, 0.6, 0.58
    //   accuracy_score(y, p)                                                               # 0.6
    //   print(classification_report(y, p, labels=labels, target_names=['cat','dog','bird','fish'], zero_division=0, digits=4))
    [Test]
    public void MatchesScikitLearnsClassificationReportOnASmallExample()
    {
        var report = ClassificationReport.Create(Actual, Predicted, Names);

        Assert.That(report.Confusion, Is.EqualTo(new long[,] { { 2, 1, 0, 0 }, { 0, 1, 1, 0 }, { 1, 0, 3, 0 }, { 0, 1, 0, 0 } }));
        Assert.That(report.Classes.Select(c => c.Name), Is.EqualTo(Names));
        Assert.That(report.Classes.Select(c => c.Precision), Is.EqualTo(new[] { 0.6666666666666666, 0.3333333333333333, 0.75, 0.0 }).Within(Tolerance));
        Assert.That(report.Classes.Select(c => c.Recall), Is.EqualTo(new[] { 0.6666666666666666, 0.5, 0.75, 0.0 }).Within(Tolerance));
        Assert.That(report.Classes.Select(c => c.F1), Is.EqualTo(new[] { 0.6666666666666666, 0.4, 0.75, 0.0 }).Within(Tolerance));
        Assert.That(report.Classes.Select(c => c.Support), Is.EqualTo(new long[] { 3, 2, 4, 1 }));
        Assert.That(report.Accuracy, Is.EqualTo(0.6).Within(Tolerance));
        Assert.That((report.MacroAverage.Precision, report.MacroAverage.Recall, report.MacroAverage.F1, report.MacroAverage.Support),
            Is.EqualTo((0.4375, 0.47916666666666663, 0.45416666666666666, 10L)).Using<(double, double, double, long)>(Close));
        Assert.That((report.WeightedAverage.Precision, report.WeightedAverage.Recall, report.WeightedAverage.F1, report.WeightedAverage.Support),
            Is.EqualTo((0.5666666666666667, 0.6, 0.58, 10L)).Using<(double, double, double, long)>(Close));
        Assert.That(report.Examples, Is.EqualTo(10));
    }

    [Test]
    public void ItsTextIsScikitLearnsTableFollowedByTheConfusionMatrix()
    {
        var text = ClassificationReport.Create(Actual, Predicted, Names).ToText();

        Assert.That(text, Does.StartWith(
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "         cat     0.6667    0.6667    0.6667         3\n" +
            "         dog     0.3333    0.5000    0.4000         2\n" +
            "        bird     0.7500    0.7500    0.7500         4\n" +
            "        fish     0.0000    0.0000    0.0000         1\n" +
            "\n" +
            "    accuracy                         0.6000        10\n" +
            "   macro avg     0.4375    0.4792    0.4542        10\n" +
            "weighted avg     0.5667    0.6000    0.5800        10\n"));
        Assert.That(text, Does.EndWith(
            "Confusion matrix (rows: actual, columns: predicted)\n" +
            "\n" +
            "      cat  dog bird fish\n" +
            " cat    2    1    0    0\n" +
            " dog    0    1    1    0\n" +
            "bird    1    0    3    0\n" +
            "fish    0    1    0    0\n"));
    }

    [Test]
    public void PerfectPredictionsScoreOneEverywhereAndTheMatrixIsDiagonal()
    {
        var report = ClassificationReport.Create([0, 1, 1, 2, 2, 2], [0, 1, 1, 2, 2, 2], ["a", "b", "c"]);

        Assert.That(report.Classes.Select(c => (c.Precision, c.Recall, c.F1)), Is.All.EqualTo((1.0, 1.0, 1.0)));
        Assert.That((report.Accuracy, report.MacroAverage.F1, report.WeightedAverage.F1), Is.EqualTo((1.0, 1.0, 1.0)));
        Assert.That(report.Confusion, Is.EqualTo(new long[,] { { 1, 0, 0 }, { 0, 2, 0 }, { 0, 0, 3 } }));
    }

    [Test]
    public void AClassNeverSeenNorPredictedScoresZeroAndCountsInTheMacroButNotTheWeightedAverage()
    {
        // Binary closed form: TP = 2, FP = 1, FN = 1 for class "b"; class "c" is absent.
        var report = ClassificationReport.Create([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], ["a", "b", "c"]);

        Assert.That(report.Classes[1], Is.EqualTo(new ClassScores("b", 2.0 / 3, 2.0 / 3, 2.0 / 3, 3)).Using<ClassScores>(Close));
        Assert.That(report.Classes[0], Is.EqualTo(new ClassScores("a", 0.5, 0.5, 0.5, 2)).Using<ClassScores>(Close));
        Assert.That(report.Classes[2], Is.EqualTo(new ClassScores("c", 0, 0, 0, 0)));
        Assert.That(report.MacroAverage.F1, Is.EqualTo((0.5 + 2.0 / 3) / 3).Within(Tolerance));
        Assert.That(report.WeightedAverage.F1, Is.EqualTo((0.5 * 2 + 2.0 / 3 * 3) / 5).Within(Tolerance));
        Assert.That(report.Accuracy, Is.EqualTo(0.6).Within(Tolerance));
    }

    [Test]
    public void NoExamplesGiveZerosNotNaN()
    {
        var report = ClassificationReport.Create([], [], ["a", "b"]);

        Assert.That((report.Accuracy, report.MacroAverage.F1, report.WeightedAverage.Precision, report.Examples), Is.EqualTo((0.0, 0.0, 0.0, 0L)));
        Assert.That(report.Confusion, Is.EqualTo(new long[2, 2]));
    }

    [Test]
    public void ListsOfDifferentLengthsAreRefusedWithBothCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationReport.Create([0, 1, 1], [0, 1], ["a", "b"]));
        Assert.That(e!.Message, Does.StartWith("3 actual classes but 2 predictions: give one prediction per example."));
    }

    [TestCase(new long[] { 0, 2 }, new long[] { 0, 1 }, "actual[1] is 2, not a class index: there are 2 classes (0 to 1).")]
    [TestCase(new long[] { 0, 1 }, new long[] { -1, 1 }, "predicted[0] is -1, not a class index: there are 2 classes (0 to 1).")]
    public void AClassIndexOutOfRangeIsRefusedNamingTheExample(long[] actual, long[] predicted, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationReport.Create(actual, predicted, ["a", "b"]));
        Assert.That(e!.Message, Does.StartWith(message));
    }

    [Test]
    public void NoClassNamesAreRefused() =>
        Assert.That(() => ClassificationReport.Create([], [], []), Throws.ArgumentException.With.Message.StartsWith("No class names"));

    private static bool Close((double, double, double, long) a, (double, double, double, long) b) =>
        Math.Abs(a.Item1 - b.Item1) < Tolerance && Math.Abs(a.Item2 - b.Item2) < Tolerance && Math.Abs(a.Item3 - b.Item3) < Tolerance && a.Item4 == b.Item4;

    private static bool Close(ClassScores a, ClassScores b) =>
        a.Name == b.Name && Close((a.Precision, a.Recall, a.F1, a.Support), (b.Precision, b.Recall, b.F1, b.Support));
}
