using System.ComponentModel.DataAnnotations;
using Trainer.Callbacks;
using Trainer.Plugins.LearningRate;
using Trainer.Testing;

namespace Trainer.Plugins.Tests.LearningRate;

public sealed class LearningRateScheduleCallbackTests
{
    private const double A0 = 0.01;

    /// <summary>Runs the callbacks for <paramref name="epochs"/> epochs of 3 steps from α0 = <paramref name="learningRate"/>.</summary>
    private static HarnessResult Run(int epochs, TrainingCallback callback, double learningRate = A0, ScriptedMetrics? metrics = null)
    {
        using var harness = new CallbackHarness(callback) { Epochs = epochs, StepsPerEpoch = 3, LearningRate = learningRate, Metrics = metrics ?? new() };
        return harness.Run();
    }

    [Test]
    public void TheFirstEpochTrainsAtTheRecipesRateAndEachEpochLogsItsRate()
    {
        var result = Run(4, new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.InverseTime, DecayRate = 1 }));

        Assert.That(result.EpochLearningRates, Is.EqualTo(new[] { A0, A0 / 2, A0 / 3, A0 / 4 }).Within(1e-15));
    }

    [Test]
    public void EveryScheduleKindDrivesTheOptimizer()
    {
        var cases = new (LearningRateScheduleOptions Options, double[] Expected)[]
        {
            (new() { Schedule = ScheduleKind.Exponential, Rate = 0.5 }, [A0, A0 / 2, A0 / 4, A0 / 8]),
            (new() { Schedule = ScheduleKind.InverseSqrt, K = 1 }, [A0, A0 / Math.Sqrt(2), A0 / Math.Sqrt(3), A0 / 2]),
            (new() { Schedule = ScheduleKind.Step, StepSize = 2, Gamma = 0.1 }, [A0, A0, A0 / 10, A0 / 10]),
            (new() { Schedule = ScheduleKind.MultiStep, Milestones = [1, 3], Gamma = 0.5 }, [A0, A0 / 2, A0 / 2, A0 / 4]),
            // Period defaults to the 4 epochs: t = 0..3 of a 4-epoch half cosine.
            (new() { Schedule = ScheduleKind.Cosine, MinLearningRate = 0 },
                [A0, A0 * (1 + Math.Cos(Math.PI / 4)) / 2, A0 / 2, A0 * (1 + Math.Cos(3 * Math.PI / 4)) / 2]),
            (new() { Schedule = ScheduleKind.OneCycle, MaxLearningRate = 10 * A0, PctStart = 0.5, FinalDivFactor = 10 },
                [A0, A0 + (10 * A0 - A0) / 2, 10 * A0, A0 / 10]),
            // Warm-up ramps per step (3 steps per epoch): α0·k/6 for steps k = 1..6, logged as each epoch's mean rate.
            (new() { Schedule = ScheduleKind.Exponential, Rate = 0.5, WarmupEpochs = 2 }, [A0 / 3, 5 * A0 / 6, A0, A0 / 2]),
        };
        foreach (var (options, expected) in cases)
        {
            var result = Run(4, new LearningRateScheduleCallback(options));
            Assert.That(result.EpochLearningRates, Is.EqualTo(expected).Within(1e-15), options.Schedule.ToString());
        }
    }

    [Test]
    public void TheStepIntervalChangesTheRateBeforeEveryStep()
    {
        // 3 steps per epoch.
        var result = Run(2,
            new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.InverseTime, DecayRate = 3, Interval = ScheduleInterval.Step }));

        var expected = Enumerable.Range(0, 6).Select(step => A0 / (1 + 3 * (step / 3.0)));
        Assert.That(result.StepLearningRates, Is.EqualTo(expected).Within(1e-15));
    }

    [Test]
    public void AWarmUpRampsBeforeEveryStepEvenWithThePerEpochInterval()
    {
        // 3 steps per epoch, 1 warm-up epoch, then exponential decay per epoch.
        var result = Run(3, new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.Exponential, Rate = 0.5, WarmupEpochs = 1 }));

        Assert.That(result.StepLearningRates, Is.EqualTo(new[] { A0 / 3, 2 * A0 / 3, A0, A0, A0, A0, A0 / 2, A0 / 2, A0 / 2 }).Within(1e-15),
            "α0/3, 2α0/3, α0 in the warm-up epoch; the schedule from its start after it (it was α0, α0, α0, α0, …: no ramp at all)");
    }

    [Test]
    public void ReduceOnPlateauLowersTheRateAfterPatienceRunsOut()
    {
        var result = Run(8, new LearningRateScheduleCallback(new LearningRateScheduleOptions
            {
                Schedule = ScheduleKind.ReduceOnPlateau, Monitor = "scripted", Patience = 1, Factor = 0.5, Cooldown = 1, MinLearningRate = A0 / 3,
            }),
            metrics: new ScriptedMetrics { { "scripted", 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9 } });

        Assert.That(result.EpochLearningRates, Is.EqualTo(new[] { A0, A0, A0, A0, A0 / 2, A0 / 2, A0 / 2, A0 / 3 }).Within(1e-15),
            "halved after epoch 4, then clamped at the minimum after epoch 7");
    }

    [Test]
    public void StateRoundTripsIncludingThePlateau()
    {
        var options = new LearningRateScheduleOptions { Schedule = ScheduleKind.ReduceOnPlateau, Monitor = "scripted", Patience = 0, Factor = 0.5 };
        var original = new LearningRateScheduleCallback(options);
        Run(3, original, metrics: new ScriptedMetrics { { "scripted", 1, 2, 3 } });

        var copy = new LearningRateScheduleCallback(options);
        copy.LoadState(CallbackState.FromJson(original.SaveState().ToJson()));

        Assert.That(copy.SaveState().ToJson(), Is.EqualTo(original.SaveState().ToJson()));
        Assert.That(copy.InitialLearningRate, Is.EqualTo(A0));
        var resumed = Run(1, copy, learningRate: 0.5);
        Assert.That(resumed.EpochLearningRates, Is.EqualTo(new[] { A0 / 4 }).Within(1e-15), "α0 and two reductions come from the saved state");
    }

    [Test]
    public void AResumedRunContinuesTheScheduleOfTheUninterruptedRun()
    {
        var options = new LearningRateScheduleOptions { Schedule = ScheduleKind.ReduceOnPlateau, Monitor = "scripted", Patience = 0, Factor = 0.5, WarmupEpochs = 1 };
        var metrics = new ScriptedMetrics { { "scripted", 1, 2, 0.5, 3, 4 } };
        var whole = Run(5, new LearningRateScheduleCallback(options), metrics: metrics);
        using var harness = new CallbackHarness(new LearningRateScheduleCallback(options)) { Epochs = 5, StepsPerEpoch = 3, LearningRate = A0, Metrics = metrics };

        var resumed = harness.Run(whole.Checkpoints[2]);

        Assert.That(resumed.StepLearningRates, Is.EqualTo(whole.StepLearningRates.Skip(9)).Within(1e-15));
        Assert.That(resumed.EpochLearningRates, Is.EqualTo(whole.EpochLearningRates).Within(1e-15));
        Assert.That(whole.EpochLearningRates[^1], Is.EqualTo(A0 / 4).Within(1e-15), "reduced after epochs 2 and 4");
    }

    [TestCase(ScheduleKind.MultiStep, "MultiStep needs Milestones, e.g. [10, 20].")]
    [TestCase(ScheduleKind.OneCycle, "OneCycle needs MaxLearningRate greater than 0.")]
    public void MissingScheduleSettingsAreValidationErrors(ScheduleKind kind, string message)
    {
        var options = new LearningRateScheduleOptions { Schedule = kind };
        var results = new List<ValidationResult>();

        Assert.That(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true), Is.False);
        Assert.That(results.Select(r => r.ErrorMessage), Is.EqualTo(new[] { message }));
    }

    [Test]
    public void MilestonesMustAscend()
    {
        var options = new LearningRateScheduleOptions { Schedule = ScheduleKind.MultiStep, Milestones = [5, 3] };
        var results = new List<ValidationResult>();

        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.That(results.Single().ErrorMessage, Is.EqualTo("Milestones must be distinct positive epochs in ascending order (got [5, 3])."));
    }
}
