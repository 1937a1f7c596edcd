using Trainer.Callbacks;
using Trainer.Plugins.RunningStats;
using Trainer.Plugins.Tests.Support;
using Trainer.Training;

namespace Trainer.Plugins.Tests.RunningStats;

public sealed class RunningStatsCallbackTests
{
    [Test]
    public void EpochMetricsCarryTheBiasCorrectedAverageOfThePerBatchLossAndAccuracy()
    {
        var batches = new BatchRecorder();
        using var stats = new RunningStatsCallback(new RunningStatsOptions { Beta = 0.9, LogEvery = 0 });
        // 1,222 examples in batches of 100: 13 steps per epoch.
        var result = PluginRun.Train(PluginRun.Digits(2, batchSize: 100), stats, batches);

        for (var epoch = 1; epoch <= 2; epoch++)
        {
            var steps = batches.Steps.Take(13 * epoch).ToList();
            double Expected(Func<(double Loss, double Accuracy), double> pick)
            {
                double v = 0;
                foreach (var s in steps) v = 0.9 * v + 0.1 * pick(s);
                return v / (1 - Math.Pow(0.9, steps.Count));
            }
            var metrics = result.History[epoch - 1];
            Assert.That(metrics["ewma_train_loss"], Is.EqualTo(Expected(s => s.Loss)).Within(1e-5), $"epoch {epoch}");
            Assert.That(metrics["ewma_train_accuracy"], Is.EqualTo(Expected(s => s.Accuracy)).Within(1e-5), $"epoch {epoch}");
        }
        Assert.That(stats.Throughput.Value, Is.GreaterThan(0));
    }

    [Test]
    public void SmoothedStatisticsAreLoggedEveryLogEverySteps()
    {
        var logger = new ListLogger();
        using var stats = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 4 });
        PluginRun.Train(PluginRun.Digits(3, batchSize: 256), null, logger, stats); // 5 steps per epoch, 15 in all

        var events = logger.Events.Where(e => e.Id.Id == 320).ToList();
        Assert.That(events.Select(e => e.Properties["GlobalStep"]), Is.EqualTo(new object[] { 4L, 8L, 12L }));
        Assert.That(events[0].Properties.Keys, Is.SupersetOf(new[] { "SmoothedLoss", "SmoothedAccuracy", "SmoothedSamplesPerSecond" }));
    }

    [Test]
    public void AWeightAverageWithBetaZeroIsTheModelItself()
    {
        using var stats = new RunningStatsCallback(new RunningStatsOptions { WeightAverage = true, WeightBeta = 0 });
        var result = PluginRun.Train(PluginRun.Digits(2), stats);

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
        var averaged = false;
        var result = PluginRun.Train(PluginRun.Digits(3), setup => averaged = !WeightRecorder.BitwiseEqual(recorder.Epochs[^1], setup.Model.state_dict()),
            stats, recorder);

        Assert.That(result.History[^1]["ema_val_accuracy"], Is.InRange(0.0, 1.0));
        Assert.That(result.History[^1]["ema_val_loss"], Is.Not.EqualTo(result.History[^1][MetricNames.ValLoss]));
        Assert.That(averaged, Is.True, "the model holds the averaged weights, not the last step's");
    }

    [Test]
    public void TheTestedWeightAverageIsTheBiasCorrectedFormulaOverEveryStep()
    {
        const double beta = 0.6;
        using var steps = new StepWeightRecorder();
        using var stats = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0, WeightAverage = true, WeightBeta = beta });
        Dictionary<string, TorchSharp.torch.Tensor>? tested = null;
        var result = PluginRun.Train(PluginRun.Digits(2), setup =>
                tested = setup.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope()),
            stats, steps);

        // v_t = Σ (1 − β) β^(t−i) w_i over the t steps, divided by 1 − β^t: without the correction a 6-step average at
        // β = 0.6 would be 95% of the weights and 5% zeros (or initial weights).
        var t = steps.Steps.Count;
        Assert.That(t, Is.EqualTo(6));
        foreach (var (name, value) in tested!.Where(p => p.Value.is_floating_point()))
        {
            using var expected = TorchSharp.torch.zeros_like(value, dtype: TorchSharp.torch.ScalarType.Float64);
            for (var i = 1; i <= t; i++)
                expected.add_(steps.Steps[i - 1][name].to_type(TorchSharp.torch.ScalarType.Float64).mul((1 - beta) * Math.Pow(beta, t - i)));
            expected.div_(1 - Math.Pow(beta, t));
            Assert.That(value.to_type(TorchSharp.torch.ScalarType.Float64).allclose(expected, rtol: 1e-5, atol: 1e-6), Is.True, name);
        }
        Assert.That(result.TestedWeights, Is.EqualTo("weight average (β = 0.6)"));
        Assert.That(result.TestedEpoch, Is.Null);
        Assert.That(result.FinalMetrics[MetricNames.ValLoss], Is.EqualTo(result.History[^1]["ema_val_loss"]).Within(1e-6),
            "the final validation loss is the averaged weights', as the test's");
        foreach (var tensor in tested!.Values) tensor.Dispose();
    }

    [Test]
    public void StateRoundTrips()
    {
        using var original = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0 });
        PluginRun.Train(PluginRun.Digits(1), original);
        using var copy = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0 });

        copy.LoadState(CallbackState.FromJson(original.SaveState().ToJson()));

        Assert.That(copy.Loss.ToDouble(), Is.EqualTo(original.Loss.ToDouble()).Within(1e-6));
        Assert.That(copy.Accuracy.Count, Is.EqualTo(original.Accuracy.Count));
        Assert.That(copy.Throughput.Value, Is.EqualTo(original.Throughput.Value).Within(1e-9));
    }

    [Test]
    public void TheWeightAverageTravelsWithTheState()
    {
        using var original = new RunningStatsCallback(new RunningStatsOptions { LogEvery = 0, WeightAverage = true, WeightBeta = 0.5 });
        PluginRun.Train(PluginRun.Digits(1), original);
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

    private sealed class BatchRecorder : TrainingCallback
    {
        public List<(double Loss, double Accuracy)> Steps { get; } = [];

        public override void OnBatchEnd(BatchContext context) => Steps.Add((context.Loss!.item<float>(),
            context.Logits!.argmax(1).eq(context.Targets).to_type(TorchSharp.torch.ScalarType.Float32).mean().item<float>()));
    }
}
