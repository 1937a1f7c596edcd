using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Core.Tests.Tasks;

/// <summary>Each built-in metric against its closed form, accumulated over two batches as a pass would.</summary>
public sealed class MetricFormulaTests
{
    private static double Run(IMetric metric, TaskKind kind, int outputs, (float[] Predictions, float[] Targets)[] batches, bool classes = false)
    {
        using var accumulator = metric.Start(new MetricSetting(kind, outputs, 0.5, CPU));
        foreach (var (p, y) in batches)
        {
            using var predictions = tensor(p).reshape(-1, outputs);
            using var targets = classes ? tensor(y.Select(v => (long)v).ToArray()) : tensor(y).reshape(-1, y.Length / (p.Length / outputs));
            accumulator.Update(predictions, targets);
        }
        return accumulator.Compute();
    }

    // y = [1, 2, 3, 4], ŷ = [1.5, 2, 2, 5]: errors 0.5, 0, −1, 1.
    private static readonly (float[], float[])[] Regression = [([1.5f, 2f], [1f, 2f]), ([2f, 5f], [3f, 4f])];

    [Test]
    public void MaeIsTheMeanAbsoluteError() => Assert.That(Run(new MeanAbsoluteErrorMetric(), TaskKind.Regression, 1, Regression), Is.EqualTo(2.5 / 4).Within(1e-12));

    [Test]
    public void RmseIsTheRootOfTheMeanSquaredError() =>
        Assert.That(Run(new RootMeanSquaredErrorMetric(), TaskKind.Regression, 1, Regression), Is.EqualTo(Math.Sqrt(2.25 / 4)).Within(1e-12));

    [Test]
    public void R2IsOneLessTheResidualOverTheTotalSumOfSquares() =>
        // ȳ = 2.5, Σ(y − ȳ)² = 5, Σ(y − ŷ)² = 2.25.
        Assert.That(Run(new R2Metric(), TaskKind.Regression, 1, Regression), Is.EqualTo(1 - 2.25 / 5).Within(1e-12));

    [Test]
    public void R2OfSeveralTargetsIsTheirMean()
    {
        // Target 0 as above (0.55); target 1 predicted exactly (1).
        var value = Run(new R2Metric(), TaskKind.Regression, 2, [([1.5f, 7f, 2f, 8f], [1f, 7f, 2f, 8f]), ([2f, 9f, 5f, 10f], [3f, 9f, 4f, 10f])]);
        Assert.That(value, Is.EqualTo((0.55 + 1) / 2).Within(1e-12));
    }

    [Test]
    public void AccuracyCountsTheLargestLogitsThatAreTheTarget()
    {
        var value = Run(new AccuracyMetric(), TaskKind.Classification, 3, [([0.1f, 2f, 0f, 3f, 1f, 0f], [1, 2]), ([0f, 0f, 1f], [2])], classes: true);
        Assert.That(value, Is.EqualTo(2.0 / 3).Within(1e-12));
    }

    [Test]
    public void TopKAccuracyCountsTheTargetAmongTheKLargestLogits()
    {
        // Example 1: target 2 is the second largest; example 2: target 0 is the smallest of three.
        var value = Run(new TopKAccuracyMetric(2), TaskKind.Classification, 3, [([0.1f, 2f, 1f, 1f, 3f, 2f], [2, 0])], classes: true);
        Assert.That(value, Is.EqualTo(0.5));
    }

    [Test]
    public void BinaryAccuracyF1PrecisionAndRecallUseTheThresholdOnProbabilities()
    {
        // Logits > 0 are positive at threshold 0.5: predicted 1, 1, 0, 0, 1 for targets 1, 0, 1, 0, 1 → TP 2, FP 1, FN 1, TN 1.
        (float[], float[])[] batches = [([2f, 0.5f, -1f], [1f, 0f, 1f]), ([-3f, 4f], [0f, 1f])];
        Assert.That(Run(new AccuracyMetric(), TaskKind.Binary, 1, batches), Is.EqualTo(3.0 / 5).Within(1e-12));
        Assert.That(Run(ConfusionMetric.F1, TaskKind.Binary, 1, batches), Is.EqualTo(2.0 * 2 / (2 * 2 + 1 + 1)).Within(1e-12));
        Assert.That(Run(ConfusionMetric.Precision, TaskKind.Binary, 1, batches), Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(Run(ConfusionMetric.Recall, TaskKind.Binary, 1, batches), Is.EqualTo(2.0 / 3).Within(1e-12));
    }

    [Test]
    public void AucIsTheMannWhitneyStatisticWithTiesCountingOneHalf()
    {
        // scikit-learn's roc_auc_score example: 0.75.
        Assert.That(Run(new AucMetric(), TaskKind.Binary, 1, [([0.1f, 0.4f], [0f, 0f]), ([0.35f, 0.8f], [1f, 1f])]), Is.EqualTo(0.75).Within(1e-12));
        Assert.That(AucMetric.Area([0.5, 0.5, 0.2, 0.9], [false, true, false, true]), Is.EqualTo((0.5 + 1 + 1 + 1) / 4).Within(1e-12));
        Assert.That(AucMetric.Area([0.5, 0.7], [true, true]), Is.NaN, "undefined without negatives");
    }

    [Test]
    public void AStateSavedMidPassAndLoadedGivesTheSameResult()
    {
        using var first = new R2Metric().Start(new MetricSetting(TaskKind.Regression, 1, 0.5, CPU));
        using (var p = tensor(new[] { 1.5f, 2f }).reshape(2, 1)) using (var y = tensor(new[] { 1f, 2f }).reshape(2, 1)) first.Update(p, y);
        using var resumed = new R2Metric().Start(new MetricSetting(TaskKind.Regression, 1, 0.5, CPU));
        resumed.LoadState(first.SaveState());
        foreach (var accumulator in new[] { first, resumed })
            using (var p = tensor(new[] { 2f, 5f }).reshape(2, 1)) using (var y = tensor(new[] { 3f, 4f }).reshape(2, 1)) accumulator.Update(p, y);
        Assert.That(resumed.Compute(), Is.EqualTo(first.Compute()));
        Assert.That(resumed.Compute(), Is.EqualTo(0.55).Within(1e-12));
    }
}
