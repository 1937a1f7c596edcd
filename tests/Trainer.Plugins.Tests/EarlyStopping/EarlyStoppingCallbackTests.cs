using Trainer.Callbacks;
using Trainer.Plugins.EarlyStopping;
using Trainer.Training;
using Trainer.Plugins.Tests.Support;
using Trainer.Recipes;
using Trainer.Testing;

namespace Trainer.Plugins.Tests.EarlyStopping;

public sealed class EarlyStoppingCallbackTests
{
    private static HarnessResult Run(double[] values, EarlyStoppingOptions options, string metric = "scripted") =>
        Run(new EarlyStoppingCallback(options), metric, values);

    private static HarnessResult Run(EarlyStoppingCallback callback, string metric, params double[] values)
    {
        using var harness = new CallbackHarness(callback) { Metrics = { { metric, values } } };
        return harness.Run();
    }

    [Test]
    public void StopsAfterPatienceChecksWithoutImprovement()
    {
        var result = Run([1.0, 0.8, 0.88, 0.9, 0.85, 0.7], new EarlyStoppingOptions { Monitor = "scripted", Patience = 3 });

        Assert.That(result.Status, Is.EqualTo(RunStatus.StoppedEarly));
        Assert.That(result.EpochsCompleted, Is.EqualTo(5));
        Assert.That(result.BestEpoch, Is.EqualTo(2));
        Assert.That(result.StopRequest!.Reason, Is.EqualTo("patience-exhausted"));
        Assert.That(result.StopRequest.Source, Is.EqualTo("EarlyStopping"));
        Assert.That(result.StopRequest.Message, Is.EqualTo("scripted did not improve for 3 epochs; best 0.8 in epoch 2"));
    }

    [Test]
    public void ChangesSmallerThanMinDeltaDoNotCount()
    {
        var result = Run([1.0, 0.995, 0.99, 0.985], new EarlyStoppingOptions { Monitor = "scripted", Patience = 2, MinDelta = 0.01 });

        Assert.That(result.EpochsCompleted, Is.EqualTo(3));
        Assert.That(result.BestEpoch, Is.EqualTo(1));
    }

    [Test]
    public void AccuracyLikeNamesAreMaximised()
    {
        var result = Run([0.5, 0.6, 0.55, 0.58], new EarlyStoppingOptions { Monitor = "scripted_accuracy", Patience = 2 }, "scripted_accuracy");

        Assert.That(result.EpochsCompleted, Is.EqualTo(4));
        Assert.That(result.BestEpoch, Is.EqualTo(2));
    }

    [Test]
    public void ABaselineThatIsNeverBeatenStopsAfterPatience()
    {
        var callback = new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "scripted", Patience = 3, Baseline = 0.5 });
        var result = Run(callback, "scripted", 0.9, 0.8, 0.7, 0.6, 0.4);

        Assert.That(result.EpochsCompleted, Is.EqualTo(3));
        Assert.That(callback.BestEpoch, Is.Null);
        Assert.That(result.StopRequest!.Message, Is.EqualTo("scripted did not improve for 3 epochs; best 0.5 (baseline never beaten)"));
    }

    [Test]
    public void ReachingTheStoppingThresholdStops()
    {
        var result = Run([0.5, 0.92, 0.95], new EarlyStoppingOptions { Monitor = "scripted", Mode = MonitorMode.Max, StoppingThreshold = 0.9 });

        Assert.That(result.EpochsCompleted, Is.EqualTo(2));
        Assert.That(result.StopRequest!.Reason, Is.EqualTo("threshold-reached"));
    }

    [Test]
    public void PassingTheDivergenceThresholdStops()
    {
        var result = Run([1, 2, 6, 1], new EarlyStoppingOptions { Monitor = "scripted", DivergenceThreshold = 5, Patience = 10 });

        Assert.That(result.EpochsCompleted, Is.EqualTo(3));
        Assert.That(result.StopRequest!.Reason, Is.EqualTo("diverged"));
        Assert.That(result.StopRequest.Message, Is.EqualTo("scripted = 6 is worse than the divergence threshold 5"));
    }

    [Test]
    public void ANonFiniteValueStopsUnlessCheckFiniteIsOff()
    {
        var stopped = Run([1, double.NaN, 0.5], new EarlyStoppingOptions { Monitor = "scripted" });
        var ignored = Run([1, double.NaN, 0.5], new EarlyStoppingOptions { Monitor = "scripted", CheckFinite = false });
        var stuck = Run([1, double.NaN, double.NaN, 0.5], new EarlyStoppingOptions { Monitor = "scripted", CheckFinite = false, Patience = 2 });

        Assert.That(stopped.Status, Is.EqualTo(RunStatus.StoppedEarly), stopped.FailureMessage);
        Assert.That(stopped.EpochsCompleted, Is.EqualTo(2));
        Assert.That(stopped.StopRequest!.Reason, Is.EqualTo("non-finite"));
        Assert.That(ignored.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(ignored.BestEpoch, Is.EqualTo(3));
        Assert.That((stuck.EpochsCompleted, stuck.StopRequest!.Reason), Is.EqualTo((3, "patience-exhausted")), "NaN is no improvement, so it uses up patience");
    }

    [TestCase("val_loss", MonitorMode.Min)]
    [TestCase("val_accuracy", MonitorMode.Max)]
    [TestCase("ema_val_accuracy", MonitorMode.Max)]
    [TestCase("val_f1", MonitorMode.Max)]
    [TestCase("val_mape", MonitorMode.Min)]
    [TestCase("val_map", MonitorMode.Max)]
    [TestCase("scripted", MonitorMode.Min)]
    public void TheModeIsInferredFromTheWordsOfTheName(string metric, MonitorMode expected) =>
        Assert.That(MetricMonitor.Resolve(metric, MonitorMode.Auto), Is.EqualTo(expected));

    [Test]
    public void EpochsBeforeStartFromEpochAreNotChecked()
    {
        var result = Run([5, 4, 10, 10, 10, 1], new EarlyStoppingOptions { Monitor = "scripted", Patience = 2, StartFromEpoch = 3 });

        Assert.That(result.EpochsCompleted, Is.EqualTo(5));
        Assert.That(result.BestEpoch, Is.EqualTo(3));
    }

    [Test]
    public void AMonitorThatIsNotLoggedFailsListingTheMetricsThatAre()
    {
        using var harness = new CallbackHarness(new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "val_acc" }))
        {
            Epochs = 2, Metrics = { { MetricNames.ValLoss, 0.5, 0.4 }, { MetricNames.ValAccuracy, 0.8, 0.9 } },
        };

        var result = harness.Run();

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.Exception, Is.TypeOf<RecipeException>());
        Assert.That(result.FailureMessage, Is.EqualTo(
            "EarlyStopping Monitor: metric 'val_acc' is not logged; available: lr, train_accuracy, train_loss, val_accuracy, val_loss."));
    }

    [Test]
    public void RestoreBestWeightsPutsBackTheBestEpochsStateBitForBit()
    {
        using var recorder = new WeightRecorder();
        using var tested = new TestedWeightsRecorder();
        using var earlyStopping = new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "scripted", Patience = 3, RestoreBestWeights = true });
        // The fake optimizer moves every weight by −lr each step, so every epoch ends with other weights.
        using var harness = new CallbackHarness(earlyStopping, recorder, tested) { StepsPerEpoch = 2, Metrics = { { "scripted", 1.0, 0.5, 0.8, 0.9, 0.95, 0.4 } } };

        var result = harness.Run();

        Assert.That(result.EpochsCompleted, Is.EqualTo(5));
        Assert.That(WeightRecorder.BitwiseEqual(recorder.Epochs[1], tested.State!), Is.True, "parameters and buffers equal those at the end of epoch 2");
        Assert.That(WeightRecorder.BitwiseEqual(recorder.Epochs[4], tested.State!), Is.False, "the last epoch's weights differ");
        Assert.That((result.TestedWeights, result.TestedEpoch), Is.EqualTo(("best epoch 2 by scripted", (int?)2)));
    }

    [Test]
    public void AnInterruptedRunKeepsItsLiveWeightsForAnExactResume()
    {
        using var recorder = new WeightRecorder();
        using var tested = new TestedWeightsRecorder();
        using var earlyStopping = new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "scripted", Patience = 3, RestoreBestWeights = true });
        using var harness = new CallbackHarness(earlyStopping, recorder, tested)
        {
            StepsPerEpoch = 2, InterruptAfterStep = 6, Metrics = { { "scripted", 1.0, 0.5, 0.8, 0.9 } },
        };

        var result = harness.Run();

        Assert.That((result.Status, result.TestedWeights), Is.EqualTo((RunStatus.Interrupted, (string?)null)));
        Assert.That(WeightRecorder.BitwiseEqual(recorder.Epochs[1], tested.State!), Is.False, "epoch 2's weights are not restored");
    }

    // End to end: the loop evaluates the restored weights on the validation split once more; that needs a real run.
    [Test]
    public void TheFinalValidationMetricsAreThoseOfTheRestoredWeightsTheTestUses()
    {
        var result = TestTraining.Train(TestTraining.Digits(6, seed: 3),
            new ScriptedMetricCallback("scripted", 1.0, 0.5, 0.8, 0.9, 0.95, 0.4),
            new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "scripted", Patience = 3, RestoreBestWeights = true }));

        var best = result.History[1];
        var last = result.History[^1];
        Assert.That(result.TestedWeights, Is.EqualTo("best epoch 2 by scripted"));
        Assert.That(result.TestedEpoch, Is.EqualTo(2));
        // Evaluated again on the restored weights: exactly what epoch 2 measured (it was the last epoch's, 5, before).
        Assert.That(result.FinalMetrics[MetricNames.ValLoss], Is.EqualTo(best[MetricNames.ValLoss]));
        Assert.That(result.FinalMetrics[MetricNames.ValAccuracy], Is.EqualTo(best[MetricNames.ValAccuracy]));
        Assert.That(result.FinalMetrics["last_val_loss"], Is.EqualTo(last[MetricNames.ValLoss]));
        Assert.That(result.FinalMetrics["last_val_accuracy"], Is.EqualTo(last[MetricNames.ValAccuracy]));
        Assert.That(last[MetricNames.ValLoss], Is.Not.EqualTo(best[MetricNames.ValLoss]));
    }

    [Test]
    public void WithoutARestoreTheFinalMetricsAreTheLastEpochs()
    {
        var result = TestTraining.Train(TestTraining.Digits(3, seed: 3));

        Assert.That(result.TestedWeights, Is.EqualTo("last epoch 3"));
        Assert.That(result.TestedEpoch, Is.EqualTo(3));
        Assert.That(result.FinalMetrics[MetricNames.ValLoss], Is.EqualTo(result.History[^1][MetricNames.ValLoss]));
        Assert.That(result.FinalMetrics["last_val_loss"], Is.EqualTo(result.History[^1][MetricNames.ValLoss]));
    }

    [Test]
    public void StateRoundTripsThroughJson()
    {
        var original = new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "scripted", Patience = 10 });
        Run(original, "scripted", 3, 1, 2, 2);

        var copy = new EarlyStoppingCallback(new EarlyStoppingOptions { Monitor = "scripted", Patience = 10 });
        copy.LoadState(CallbackState.FromJson(original.SaveState().ToJson()));

        Assert.That((copy.Best, copy.BestEpoch, copy.Wait), Is.EqualTo((1.0, (int?)2, 2)));
        Assert.That(copy.StateKey, Is.EqualTo("EarlyStopping[scripted,min]"));
    }

    [Test]
    public void AResumedRunStopsWhereTheUninterruptedRunStops()
    {
        double[] values = [1.0, 0.8, 0.88, 0.9, 0.85, 0.7];
        EarlyStoppingCallback Create() => new(new EarlyStoppingOptions { Monitor = "scripted", Patience = 3, RestoreBestWeights = true });
        using var first = Create();
        using var straight = new CallbackHarness(first) { StepsPerEpoch = 2, Metrics = { { "scripted", values } } };
        var whole = straight.Run();
        using var second = Create();
        using var resuming = new CallbackHarness(second) { StepsPerEpoch = 2, Metrics = { { "scripted", values } } };

        var resumed = resuming.Run(whole.Checkpoints[2]);

        Assert.That((resumed.Status, resumed.EpochsCompleted, resumed.BestEpoch), Is.EqualTo((RunStatus.StoppedEarly, 5, (int?)2)));
        Assert.That(resumed.StopRequest, Is.EqualTo(whole.StopRequest));
        Assert.That(resumed.TestedWeights, Is.EqualTo("best epoch 2 by scripted"), "the best weights travelled with the state");
        Assert.That(second.SaveState().ToJson(), Is.EqualTo(first.SaveState().ToJson()));
    }
}
