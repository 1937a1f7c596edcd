using Trainer.Statistics;
using static TorchSharp.torch;

namespace Trainer.Tests.Statistics;

public sealed class ExponentialMovingAverageTests
{
    private static readonly double[] Sequence = [4.0, 2.0, 7.0, 1.0, 3.0];

    /// <summary>v_t = (1 − β) Σ_{i ≤ t} β^(t−i) θ_i, corrected by 1 − β^t.</summary>
    private static double ClosedForm(double beta, int t, bool corrected)
    {
        var v = 0.0;
        for (var i = 1; i <= t; i++) v += (1 - beta) * Math.Pow(beta, t - i) * Sequence[i - 1];
        return corrected ? v / (1 - Math.Pow(beta, t)) : v;
    }

    [TestCase(0.9)]
    [TestCase(0.98)]
    public void MatchesTheClosedFormWithAndWithoutBiasCorrection(double beta)
    {
        var corrected = new ExponentialMovingAverage(beta);
        var raw = new ExponentialMovingAverage(beta, biasCorrection: false);
        for (var t = 1; t <= Sequence.Length; t++)
        {
            corrected.Update(Sequence[t - 1]);
            raw.Update(Sequence[t - 1]);
            Assert.That(corrected.Value, Is.EqualTo(ClosedForm(beta, t, true)).Within(1e-12), $"t={t}");
            Assert.That(raw.Value, Is.EqualTo(ClosedForm(beta, t, false)).Within(1e-12), $"t={t}");
        }
        Assert.That(corrected.EffectiveWindow, Is.EqualTo(1 / (1 - beta)).Within(1e-9));
    }

    [Test]
    public void TheBiasCorrectedAverageOfAConstantIsTheConstantFromTheFirstStep()
    {
        var average = new ExponentialMovingAverage(0.98);
        for (var t = 1; t <= 10; t++)
        {
            average.Update(5);
            Assert.That(average.Value, Is.EqualTo(5).Within(1e-12), $"t={t}");
        }
        Assert.That(average.RawValue, Is.EqualTo(5 * (1 - Math.Pow(0.98, 10))).Within(1e-12), "uncorrected, it starts near 0");
    }

    [TestCase(0.9)]
    [TestCase(0.98)]
    public void TheTensorAverageMatchesTheClosedForm(double beta)
    {
        using var average = new TensorExponentialMovingAverage(beta);
        for (var t = 1; t <= Sequence.Length; t++)
        {
            using var value = tensor((float)Sequence[t - 1]);
            average.Update(value);
            Assert.That(average.ToDouble(), Is.EqualTo(ClosedForm(beta, t, true)).Within(1e-5), $"t={t}");
        }
    }

    [Test]
    public void TheTensorAverageWorksElementwiseAndSurvivesTheCallersScope()
    {
        using var average = new TensorExponentialMovingAverage(0.5);
        using (NewDisposeScope())
        {
            average.Update(tensor(new float[] { 1, 2 }));
            average.Update(tensor(new float[] { 3, 6 }));
        }

        using var value = average.Value()!;
        // raw = 0.5·(0.5·θ1) + 0.5·θ2; corrected by 1 − 0.25.
        Assert.That(value.data<float>().ToArray(), Is.EqualTo(new[] { (0.25f * 1 + 0.5f * 3) / 0.75f, (0.25f * 2 + 0.5f * 6) / 0.75f }).Within(1e-6));
    }

    [Test]
    public void UpdatingNeverReadsTheValueBackToTheHost()
    {
        // Tensors on the meta device carry no data: any host read (item, data) throws, so updates that succeed made none.
        using var average = new TensorExponentialMovingAverage(0.9);
        for (var i = 0; i < 100; i++)
        {
            using var value = empty([], device: META);
            average.Update(value);
        }

        Assert.That(average.Count, Is.EqualTo(100));
        Assert.That(() => average.ToDouble(), Throws.Exception, "reading is the one host sync");
    }

    [Test]
    public void RestoringReproducesTheAverage()
    {
        var original = new ExponentialMovingAverage(0.9);
        foreach (var v in Sequence) original.Update(v);
        var copy = new ExponentialMovingAverage(0.9);

        copy.Restore(original.RawValue, original.Count);

        Assert.That(copy.Value, Is.EqualTo(original.Value).Within(1e-15));
    }
}
