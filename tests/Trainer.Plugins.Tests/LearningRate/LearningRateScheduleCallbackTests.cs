using System.ComponentModel.DataAnnotations;
using Trainer.Callbacks;
using Trainer.Plugins.LearningRate;
using Trainer.Plugins.Tests.Support;
using Trainer.Training;

namespace Trainer.Plugins.Tests.LearningRate;

public sealed class LearningRateScheduleCallbackTests
{
    private const double A0 = 0.01;

    private static double?[] LoggedRates(TrainingResult result) => result.History.Select(h => h[MetricNames.LearningRate]).ToArray();

    [Test]
    public void TheFirstEpochTrainsAtTheRecipesRateAndEachEpochLogsItsRate()
    {
        var result = PluginRun.Train(PluginRun.Digits(4, learningRate: A0),
            new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.InverseTime, DecayRate = 1 }));

        Assert.That(LoggedRates(result), Is.EqualTo(new double?[] { A0, A0 / 2, A0 / 3, A0 / 4 }).Within(1e-15));
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
            var result = PluginRun.Train(PluginRun.Digits(4, learningRate: A0), new LearningRateScheduleCallback(options));
            Assert.That(LoggedRates(result), Is.EqualTo(expected.Cast<double?>()).Within(1e-15), options.Schedule.ToString());
        }
    }

    [Test]
    public void TheStepIntervalChangesTheRateBeforeEveryStep()
    {
        var recorder = new LearningRateRecorder();
        // 1,222 training examples in batches of 512: 3 steps per epoch.
        PluginRun.Train(PluginRun.Digits(2, learningRate: A0),
            new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.InverseTime, DecayRate = 3, Interval = ScheduleInterval.Step }),
            recorder);

        var expected = Enumerable.Range(0, 6).Select(step => A0 / (1 + 3 * (step / 3.0)));
        Assert.That(recorder.Steps, Is.EqualTo(expected).Within(1e-15));
    }

    [Test]
    public void AWarmUpRampsBeforeEveryStepEvenWithThePerEpochInterval()
    {
        var recorder = new LearningRateRecorder();
        // 3 steps per epoch, 1 warm-up epoch, then exponential decay per epoch.
        PluginRun.Train(PluginRun.Digits(3, learningRate: A0),
            new LearningRateScheduleCallback(new LearningRateScheduleOptions { Schedule = ScheduleKind.Exponential, Rate = 0.5, WarmupEpochs = 1 }),
            recorder);

        Assert.That(recorder.Steps, Is.EqualTo(new[] { A0 / 3, 2 * A0 / 3, A0, A0, A0, A0, A0 / 2, A0 / 2, A0 / 2 }).Within(1e-15),
            "α0/3, 2α0/3, α0 in the warm-up epoch; the schedule from its start after it (it was α0, α0, α0, α0, …: no ramp at all)");
    }

    [Test]
    public void ReduceOnPlateauLowersTheRateAfterPatienceRunsOut()
    {
        var result = PluginRun.Train(PluginRun.Digits(8, learningRate: A0),
            new ScriptedMetricCallback("scripted", 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9),
            new LearningRateScheduleCallback(new LearningRateScheduleOptions
            {
                Schedule = ScheduleKind.ReduceOnPlateau, Monitor = "scripted", Patience = 1, Factor = 0.5, Cooldown = 1, MinLearningRate = A0 / 3,
            }));

        Assert.That(LoggedRates(result), Is.EqualTo(new double?[] { A0, A0, A0, A0, A0 / 2, A0 / 2, A0 / 2, A0 / 3 }).Within(1e-15),
            "halved after epoch 4, then clamped at the minimum after epoch 7");
    }

    [Test]
    public void StateRoundTripsIncludingThePlateau()
    {
        var options = new LearningRateScheduleOptions { Schedule = ScheduleKind.ReduceOnPlateau, Monitor = "scripted", Patience = 0, Factor = 0.5 };
        var original = new LearningRateScheduleCallback(options);
        PluginRun.Train(PluginRun.Digits(3, learningRate: A0), new ScriptedMetricCallback("scripted", 1, 2, 3), original);

        var copy = new LearningRateScheduleCallback(options);
        copy.LoadState(CallbackState.FromJson(original.SaveState().ToJson()));

        Assert.That(copy.SaveState().ToJson(), Is.EqualTo(original.SaveState().ToJson()));
        Assert.That(copy.InitialLearningRate, Is.EqualTo(A0));
        var resumed = PluginRun.Train(PluginRun.Digits(1, learningRate: 0.5), copy);
        Assert.That(LoggedRates(resumed), Is.EqualTo(new double?[] { A0 / 4 }).Within(1e-15), "α0 and two reductions come from the saved state");
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
