using Trainer.Callbacks;
using Trainer.Plugins.RunningStats;
using Trainer.Plugins.Tests.Support;
using Trainer.Testing;
using Trainer.Training;

namespace Trainer.Plugins.Tests.RunningStats;

public sealed class RunningStatsCallbackTests
{
    [Test]
    public void EpochMetricsCarryTheBiasCorrectedAverageOfThePerBatchLossAndAccuracy()
    {
        using var stats = new RunningStatsCallback(new RunningStatsOptions { Beta = 0.9, LogEvery = 0 });
        // Step k (from 1) has loss 2/k and accuracy k/26 (k of 26 examples right): 13 steps per epoch.
        static double Loss(long step) => 2.0 / step;
        static double Accuracy(long step) => step / 26.0;
        using var harness = new CallbackHarness(stats) { Epochs = 2, StepsPerEpoch = 13, BatchSize = 26, StepLoss = Loss, StepAccuracy = Accuracy };

        var result = harness.Run();

        for (var epoch = 1; epoch <= 2; epoch++)
        {
            var steps = Enumerable.Range(1, 13 * epoch).Select(k => (long)k).ToList();
            double Expected(Func<long, double> pick)
            {
                double v = 0;
                foreach (var s in steps) v = 0.9 * v + 0.1 * pick(s);
                return v / (1 - Math.Pow(0.9, steps.Count));
            }
            var metrics = result.History[epoch - 1];
            Assert.That(metrics["ewma_train_loss"], Is.EqualTo(Expected(Loss)).Within(1e-6), $"epoch {epoch}");
            Assert.That(metrics["ewma_train_accuracy"], Is.EqualTo(Expected(Accuracy)).Within(1e-6), $"epoch {epoch}");
        }
        Assert.That(stats.Throughput.Value, Is.GreaterThan(0));
    }

    [Test]
    public void SmoothedStatisticsAreLoggedEveryLogEverySteps()
    {
        using var stats = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 4 });
        using var harness = new CallbackHarness(stats) { Epochs = 3, StepsPerEpoch = 5 }; // 15 steps in all

        var result = harness.Run();

        var events = result.Events.Where(e => e.Id.Id == 320).ToList();
        Assert.That(events.Select(e => e.Properties["GlobalStep"]), Is.EqualTo(new object[] { 4L, 8L, 12L }));
        Assert.That(events[0].Properties.Keys, Is.SupersetOf(new[] { "SmoothedLoss", "SmoothedAccuracy", "SmoothedSamplesPerSecond" }));
    }

    [Test]
    public void AWeightAverageWithBetaZeroIsTheModelItself()
    {
        using var stats = new RunningStatsCallback(new RunningStatsOptions { WeightAverage = true, WeightBeta = 0 });
        using var harness = new CallbackHarness(new ValidationEvaluator(), stats) { Epochs = 2, StepsPerEpoch = 3 };

        var result = harness.Run();

        foreach (var epoch in result.History)
        {
            Assert.That(epoch["ema_val_loss"], Is.EqualTo(epoch[MetricNames.ValLoss]).Within(1e-12));
            Assert.That(epoch["ema_val_accuracy"], Is.EqualTo(epoch[MetricNames.ValAccuracy]));
        }
    }

    [Test]
    public void TheWeightAverageIsEvaluatedAndUsedForTheTest()
    {
        using var recorder = new WeightRecorder();
        using var stats = new RunningStatsCallback(new RunningStatsOptions { WeightAverage = true, WeightBeta = 0.9 });
        using var tested = new TestedWeightsRecorder();
        using var harness = new CallbackHarness(new ValidationEvaluator(), stats, recorder, tested) { Epochs = 3, StepsPerEpoch = 3 };

        var result = harness.Run();

        Assert.That(result.History[^1]["ema_val_accuracy"], Is.InRange(0.0, 1.0));
        Assert.That(result.History[^1]["ema_val_loss"], Is.Not.EqualTo(result.History[^1][MetricNames.ValLoss]));
        Assert.That(WeightRecorder.BitwiseEqual(recorder.Epochs[^1], tested.State!), Is.False, "the model holds the averaged weights, not the last step's");
    }

    [Test]
    public void TheTestedWeightAverageIsTheBiasCorrectedFormulaOverEveryStep()
    {
        const double beta = 0.6;
        using var steps = new StepWeightRecorder();
        using var stats = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0, WeightAverage = true, WeightBeta = beta });
        using var tested = new TestedWeightsRecorder();
        // Step k's gradients are k, so the weights move unevenly: w_k = w_0 − 0.01·k(k+1)/2.
        using var harness = new CallbackHarness(stats, steps, tested)
        {
            Epochs = 2, StepsPerEpoch = 3,
            Gradients = (model, step) =>
            {
                foreach (var p in model.parameters()) p.grad!.fill_(step);
            },
        };

        var result = harness.Run();

        // v_t = Σ (1 − β) β^(t−i) w_i over the t steps, divided by 1 − β^t: without the correction a 6-step average at
        // β = 0.6 would be 95% of the weights and 5% zeros (or initial weights).
        var t = steps.Steps.Count;
        Assert.That(t, Is.EqualTo(6));
        foreach (var (name, value) in tested.State!.Where(p => p.Value.is_floating_point()))
        {
            using var expected = TorchSharp.torch.zeros_like(value, dtype: TorchSharp.torch.ScalarType.Float64);
            for (var i = 1; i <= t; i++)
                expected.add_(steps.Steps[i - 1][name].to_type(TorchSharp.torch.ScalarType.Float64).mul((1 - beta) * Math.Pow(beta, t - i)));
            expected.div_(1 - Math.Pow(beta, t));
            Assert.That(value.to_type(TorchSharp.torch.ScalarType.Float64).allclose(expected, rtol: 1e-5, atol: 1e-6), Is.True, name);
            Assert.That(value.allclose(steps.Steps[^1][name]), Is.False, $"{name}: not the last step's weights");
        }
        Assert.That(result.TestedWeights, Is.EqualTo("weight average (β = 0.6)"));
        Assert.That(result.TestedEpoch, Is.Null);
        Assert.That(tested.Validation!.Value.Loss, Is.EqualTo(result.History[^1]["ema_val_loss"]).Within(1e-6),
            "the weights tested are the average evaluated as ema_val_loss");
    }

    [Test]
    public void StateRoundTrips()
    {
        using var original = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0 });
        using (var harness = new CallbackHarness(original) { StepsPerEpoch = 3, StepLoss = step => 1.0 / step, StepAccuracy = step => step / 4.0 })
            harness.Run();
        using var copy = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0 });

        copy.LoadState(CallbackState.FromJson(original.SaveState().ToJson()));

        Assert.That(copy.Loss.ToDouble(), Is.EqualTo(original.Loss.ToDouble()).Within(1e-6));
        Assert.That(copy.Accuracy.Count, Is.EqualTo(original.Accuracy.Count));
        Assert.That(copy.Throughput.Value, Is.EqualTo(original.Throughput.Value).Within(1e-9));
    }

    [Test]
    public void AResumedRunEndsWithTheSameAveragesAsTheUninterruptedRun()
    {
        RunningStatsCallback Create() => new(new RunningStatsOptions { LogEvery = 0, Beta = 0.8, WeightAverage = true, WeightBeta = 0.7 });
        CallbackHarness Harness(RunningStatsCallback stats) =>
            new(new ValidationEvaluator(), stats) { Epochs = 4, StepsPerEpoch = 3, StepLoss = step => 3.0 / step, StepAccuracy = step => (step % 4) / 4.0 };
        using var first = Create();
        using var straight = Harness(first);
        var whole = straight.Run();
        using var second = Create();
        using var resuming = Harness(second);

        var resumed = resuming.Run(whole.Checkpoints[1]);

        foreach (var metric in new[] { "ewma_train_loss", "ewma_train_accuracy", "ema_val_loss", "ema_val_accuracy" })
            Assert.That(resumed.History.Select(h => h[metric]), Is.EqualTo(whole.History.Select(h => h[metric])), metric);
        Assert.That(second.SaveState().GetTensors("weightAverage")["fc1.weight"].equal(first.SaveState().GetTensors("weightAverage")["fc1.weight"]).all().item<bool>(),
            Is.True);
    }

    [Test]
    public void TheWeightAverageTravelsWithTheState()
    {
        using var original = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0, WeightAverage = true, WeightBeta = 0.5 });
        // A model with a batch-norm layer, whose running statistics are buffers.
        using (var harness = new CallbackHarness(original)
               {
                   StepsPerEpoch = 3, Model = () => TorchSharp.torch.nn.Sequential(("fc1", TorchSharp.torch.nn.Linear(4, 3)), ("bn1", TorchSharp.torch.nn.BatchNorm1d(3))),
               })
            harness.Run();
        var saved = original.SaveState();
        using var copy = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0, WeightAverage = true, WeightBeta = 0.5 });

        copy.LoadState(CallbackState.FromJson(saved.ToJson()));

        var before = saved.GetTensors("weightAverage");
        var after = copy.SaveState().GetTensors("weightAverage");
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
        Assert.That(before.All(p => after[p.Key].equal(p.Value).all().item<bool>()), Is.True, "every averaged tensor, bit for bit");
        Assert.That(before.Keys, Has.Some.EndsWith("running_mean"), "buffers are averaged too");
    }

    private sealed class StepWeightRecorder : TrainingCallback, IDisposable
    {
        public List<Dictionary<string, TorchSharp.torch.Tensor>> Steps { get; } = [];

        public override void OnBatchEnd(BatchContext context)
        {
            using var noGrad = TorchSharp.torch.no_grad();
            Steps.Add(context.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope()));
        }

        public void Dispose()
        {
            foreach (var tensor in Steps.SelectMany(s => s.Values)) tensor.Dispose();
        }
    }
}
