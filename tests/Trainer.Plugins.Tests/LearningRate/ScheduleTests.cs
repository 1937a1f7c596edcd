using Trainer.Plugins.LearningRate.Schedules;
using Trainer.Training;

namespace Trainer.Plugins.Tests.LearningRate;

public sealed class ScheduleTests
{
    private const double A0 = 0.2;
    private static readonly double[] Epochs = [0, 1, 2, 3, 5, 10, 2.5];

    [Test]
    public void InverseTimeIsA0OverOnePlusKTimesEpoch()
    {
        var schedule = new InverseTimeSchedule(0.5);
        foreach (var t in Epochs) Assert.That(schedule.LearningRate(A0, t), Is.EqualTo(A0 / (1 + 0.5 * t)).Within(1e-15), $"t={t}");
    }

    [Test]
    public void ExponentialIsA0TimesRateToTheEpoch()
    {
        var schedule = new ExponentialSchedule(0.95);
        foreach (var t in Epochs) Assert.That(schedule.LearningRate(A0, t), Is.EqualTo(A0 * Math.Pow(0.95, t)).Within(1e-15), $"t={t}");
    }

    [Test]
    public void InverseSqrtIsA0TimesKOverTheRootOfTheEpochNumber()
    {
        var schedule = new InverseSqrtSchedule(2);
        Assert.That(schedule.LearningRate(A0, 0), Is.EqualTo(2 * A0), "epoch number 1 during the first epoch");
        foreach (var t in Epochs) Assert.That(schedule.LearningRate(A0, t), Is.EqualTo(A0 * 2 / Math.Sqrt(t + 1)).Within(1e-15), $"t={t}");
    }

    [Test]
    public void StepDropsByGammaEveryStepSizeEpochs()
    {
        var schedule = new StepSchedule(3, 0.5);
        var expected = new[] { A0, A0, A0, A0 / 2, A0 / 2, A0 / 8, A0 }; // t = 0, 1, 2, 3, 5, 10, 2.5
        for (var i = 0; i < Epochs.Length; i++) Assert.That(schedule.LearningRate(A0, Epochs[i]), Is.EqualTo(expected[i]).Within(1e-15));
    }

    [Test]
    public void MultiStepDropsAtEachMilestone()
    {
        var schedule = new MultiStepSchedule([2, 5], 0.1);
        Assert.That(new[] { 0, 1, 2, 4, 5, 9 }.Select(t => schedule.LearningRate(A0, t)),
            Is.EqualTo(new[] { A0, A0, A0 * 0.1, A0 * 0.1, A0 * 0.01, A0 * 0.01 }).Within(1e-15));
    }

    [Test]
    public void CosineAnnealsToTheMinimumAndStaysThere()
    {
        var schedule = new CosineSchedule(10, 0.01);
        foreach (var t in new[] { 0.0, 2.5, 5, 7.5, 10 })
            Assert.That(schedule.LearningRate(A0, t), Is.EqualTo(0.01 + (A0 - 0.01) * (1 + Math.Cos(Math.PI * t / 10)) / 2).Within(1e-15));
        Assert.That(schedule.LearningRate(A0, 5), Is.EqualTo((A0 + 0.01) / 2).Within(1e-15));
        Assert.That(schedule.LearningRate(A0, 14), Is.EqualTo(0.01).Within(1e-15));
    }

    [Test]
    public void OneCycleRisesToTheMaximumThenAnnealsToTheFinalRate()
    {
        // Ten epochs: rise over epochs 0..3, then descend so that the last epoch (t = 9) trains at the final rate.
        var schedule = new OneCycleSchedule(10, 1.0, 0.3, 100);
        Assert.That(schedule.LearningRate(A0, 0), Is.EqualTo(A0));
        Assert.That(schedule.LearningRate(A0, 1.5), Is.EqualTo(A0 + (1.0 - A0) / 2).Within(1e-12), "half way up");
        Assert.That(schedule.LearningRate(A0, 3), Is.EqualTo(1.0).Within(1e-12), "peak at 30%");
        Assert.That(schedule.LearningRate(A0, 6), Is.EqualTo(A0 / 100 + (1.0 - A0 / 100) / 2).Within(1e-12), "half way down");
        Assert.That(schedule.LearningRate(A0, 9), Is.EqualTo(A0 / 100).Within(1e-12), "the last epoch");
        Assert.That(schedule.LearningRate(A0, 12), Is.EqualTo(A0 / 100).Within(1e-12));
    }

    [Test]
    public void WarmupRisesLinearlyThenStartsTheInnerScheduleFromItsBeginning()
    {
        var schedule = new WarmupSchedule(new ExponentialSchedule(0.5), 4, 1);
        Assert.That(new[] { 0, 1, 2, 3, 4, 5, 6 }.Select(t => schedule.LearningRate(A0, t)),
            Is.EqualTo(new[] { A0 / 4, A0 / 2, A0 * 3 / 4, A0, A0, A0 / 2, A0 / 4 }).Within(1e-15));
    }

    [Test]
    public void WarmupByStepsReachesTheFullRateOnTheLastWarmupStep()
    {
        var schedule = new WarmupSchedule(new ConstantSchedule(), 2, 0.25); // 4 steps per epoch
        Assert.That(new[] { 0, 0.25, 1.75, 2 }.Select(t => schedule.LearningRate(A0, t)),
            Is.EqualTo(new[] { A0 / 8, A0 / 4, A0, A0 }).Within(1e-15));
    }

    [Test]
    public void ReduceOnPlateauFollowsPatienceAndCooldown()
    {
        var plateau = new ReduceOnPlateau(new MetricMonitor("val_loss"), factor: 0.5, patience: 1, cooldown: 1);

        var reduced = new[] { 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9 }.Select(plateau.Observe).ToList();

        Assert.That(reduced, Is.EqualTo(new[] { false, false, false, true, false, false, true }));
        Assert.That(plateau.Scale, Is.EqualTo(0.25));
        Assert.That(plateau.Best, Is.EqualTo(0.9));
    }
}
