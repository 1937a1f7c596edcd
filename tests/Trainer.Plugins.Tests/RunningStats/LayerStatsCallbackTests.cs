using System.Globalization;
using Trainer.Plugins.RunningStats;
using Trainer.Plugins.Tests.Support;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Plugins.Tests.RunningStats;

public sealed class LayerStatsCallbackTests
{
    private static RecipeOptions Recipe(int epochs, int[] hidden, string activation = "relu", bool batchNorm = true, string init = "he")
    {
        var recipe = TestTraining.Digits(epochs, batchSize: 256, seed: 3);
        recipe.Model.Hidden = hidden;
        recipe.Model.Activation = activation;
        recipe.Model.BatchNorm = batchNorm;
        recipe.Model.Init = init;
        return recipe;
    }

    /// <summary>
    /// The statistics of one training step, computed without the model's modules: the MLP's forward pass written out
    /// (Linear, batch norm in training mode with the batch mean and biased variance and ε = 1e-5, the activation),
    /// the mean cross-entropy as log-sum-exp minus the true logit, and autograd on copies of the weights.
    /// act_std is the unbiased sample standard deviation of all of a layer's outputs; grad_norm the L2 norm.
    /// </summary>
    private static (double[] ActStd, double[] GradNorm) Reference(Tensor inputs, Tensor targets, Dictionary<string, Tensor> state,
        int hiddenLayers, string activation, bool batchNorm)
    {
        using var scope = NewDisposeScope();
        Tensor Leaf(string suffix) => state.Single(p => p.Key.EndsWith(suffix, StringComparison.Ordinal)).Value.detach().clone().requires_grad_(true);
        static double Double(Tensor t) => t.to_type(ScalarType.Float64).item<double>();

        var weights = new List<Tensor>();
        var actStd = new List<double>();
        var a = inputs.flatten(1);
        for (var n = 1; n <= hiddenLayers; n++)
        {
            var w = Leaf($"fc{n}.weight");
            weights.Add(w);
            var h = a.matmul(w.t());
            if (batchNorm)
            {
                var mean = h.mean([0]);
                var variance = (h - mean).pow(2).mean([0]);
                h = (h - mean) / (variance + 1e-5).sqrt() * Leaf($"bn{n}.weight") + Leaf($"bn{n}.bias");
            }
            else
            {
                h += Leaf($"fc{n}.bias");
            }
            a = activation switch
            {
                "relu" => nn.functional.relu(h),
                "tanh" => h.tanh(),
                "sigmoid" => h.sigmoid(),
                "leaky-relu" => where(h.gt(0), h, h * 0.01),
                _ => throw new ArgumentException(activation),
            };
            var values = a.detach().to_type(ScalarType.Float64);
            actStd.Add(Math.Sqrt(Double((values - values.mean()).pow(2).sum()) / (values.numel() - 1)));
        }
        var output = Leaf("out.weight");
        weights.Add(output);
        var logits = a.matmul(output.t()) + Leaf("out.bias");
        var loss = (logits.logsumexp(1) - logits.gather(1, targets.unsqueeze(1)).squeeze(1)).mean();
        loss.backward();
        return ([.. actStd], [.. weights.Select(w => Math.Sqrt(Double(w.grad!.to_type(ScalarType.Float64).pow(2).sum())))]);
    }

    private static void AssertMatchesReference(EpochMetrics metrics, FirstBatchRecorder recorder, int hiddenLayers, string activation, bool batchNorm)
    {
        var (inputs, targets, state) = recorder.Epochs[metrics.Epoch];
        var (actStd, gradNorm) = Reference(inputs, targets, state, hiddenLayers, activation, batchNorm);
        Assert.That(actStd, Has.Length.EqualTo(hiddenLayers));
        Assert.That(gradNorm, Has.Length.EqualTo(hiddenLayers + 1));
        for (var layer = 1; layer <= hiddenLayers; layer++)
        {
            var name = LayerStatsCallback.MetricName(layer, "act_std");
            Assert.That(metrics[name], Is.EqualTo(actStd[layer - 1]).Within(1e-3).Percent, $"epoch {metrics.Epoch} {name}");
        }
        for (var layer = 1; layer <= hiddenLayers + 1; layer++)
        {
            var name = LayerStatsCallback.MetricName(layer, "grad_norm");
            Assert.That(metrics[name], Is.EqualTo(gradNorm[layer - 1]).Within(1e-2).Percent, $"epoch {metrics.Epoch} {name}");
        }
        Assert.That(metrics[LayerStatsCallback.MetricName(hiddenLayers + 1, "act_std")], Is.Null, "the output layer has no activation");
        Assert.That(metrics[LayerStatsCallback.MetricName(hiddenLayers + 2, "grad_norm")], Is.Null, "one norm per weight layer");
    }

    [TestCase("relu", true)]
    [TestCase("tanh", false)]
    [TestCase("sigmoid", false)]
    [TestCase("leaky-relu", true)]
    public void EveryEpochRecordsTheFirstBatchsActivationStdAndWeightGradientNorms(string activation, bool batchNorm)
    {
        using var recorder = new FirstBatchRecorder();
        using var stats = new LayerStatsCallback(new LayerStatsOptions());

        var result = TestTraining.Train(Recipe(3, [32, 16], activation, batchNorm), recorder, stats);

        Assert.That(result.History, Has.Count.EqualTo(3));
        foreach (var epoch in result.History) AssertMatchesReference(epoch, recorder, hiddenLayers: 2, activation, batchNorm);
        Assert.That(result.History[2]["layer01_grad_norm"], Is.Not.EqualTo(result.History[0]["layer01_grad_norm"]), "each epoch measures anew");
    }

    [Test]
    public void EveryEpochsMeasuresTheFirstEpochAndEveryNthAfterIt()
    {
        using var recorder = new FirstBatchRecorder();
        using var stats = new LayerStatsCallback(new LayerStatsOptions { EveryEpochs = 2 });

        var result = TestTraining.Train(Recipe(5, [32]), recorder, stats);

        var measured = result.History.Where(e => e.Values.Keys.Any(k => k.StartsWith("layer", StringComparison.Ordinal))).Select(e => e.Epoch);
        Assert.That(measured, Is.EqualTo(new[] { 1, 3, 5 }));
        foreach (var epoch in new[] { 1, 3, 5 }) AssertMatchesReference(result.History[epoch - 1], recorder, hiddenLayers: 1, "relu", batchNorm: true);
    }

    [Test]
    public void ZeroWeightsGiveEveryHiddenLayerAnActivationStdOfZero()
    {
        using var stats = new LayerStatsCallback(new LayerStatsOptions());

        var result = TestTraining.Train(Recipe(2, [32, 16, 8], init: "zeros"), stats);

        foreach (var epoch in result.History)
        {
            var stds = epoch.Values.Where(p => p.Key.EndsWith("_act_std", StringComparison.Ordinal)).ToList();
            Assert.That(stds.Select(p => p.Key), Is.EqualTo(new[] { "layer01_act_std", "layer02_act_std", "layer03_act_std" }), $"epoch {epoch.Epoch}");
            Assert.That(stds.Select(p => p.Value), Is.All.EqualTo(0.0), $"epoch {epoch.Epoch}: every unit outputs the same value");
        }
    }

    [TestCase(true, false, "act_std")]
    [TestCase(false, true, "grad_norm")]
    public void EachKindOfStatisticCanBeTurnedOff(bool activations, bool gradients, string recorded)
    {
        using var stats = new LayerStatsCallback(new LayerStatsOptions { Activations = activations, Gradients = gradients });

        var result = TestTraining.Train(Recipe(1, [32, 16]), stats);

        var names = result.History[0].Values.Keys.Where(k => k.StartsWith("layer", StringComparison.Ordinal));
        var count = recorded == "act_std" ? 2 : 3;
        Assert.That(names, Is.EqualTo(Enumerable.Range(1, count).Select(l => LayerStatsCallback.MetricName(l, recorded))));
    }

    [Test]
    public void DisposingRemovesTheActivationHooks()
    {
        using var stats = new LayerStatsCallback(new LayerStatsOptions());
        var disposer = new DisposeAfterEpoch(stats, epoch: 1);

        var result = TestTraining.Train(Recipe(3, [32, 16]), stats, disposer);

        Assert.That(result.History[0]["layer01_act_std"], Is.GreaterThan(0), "captured before Dispose");
        foreach (var epoch in result.History.Skip(1))
        {
            Assert.That(epoch.Values.Keys.Where(k => k.EndsWith("_act_std", StringComparison.Ordinal)), Is.Empty, $"epoch {epoch.Epoch}: no capture after Dispose");
            Assert.That(epoch["layer01_grad_norm"], Is.GreaterThan(0), $"epoch {epoch.Epoch}: measuring still runs, only the hooks are gone");
        }
    }

    [Test]
    public void TheHooksLeaveTheModelsOutputAlone()
    {
        using var stats = new LayerStatsCallback(new LayerStatsOptions());
        var same = false;
        var allZero = true;

        TestTraining.Train(Recipe(1, [32, 16]), setup =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            setup.Model.eval();
            var inputs = setup.Data.Validation!.Features;
            var withHooks = setup.Model.forward(inputs);
            stats.Dispose();
            var withoutHooks = setup.Model.forward(inputs);
            same = withHooks.eq(withoutHooks).all().item<bool>();
            allZero = withHooks.abs().sum().item<float>() == 0;
        }, stats);

        Assert.That(same, Is.True, "bit for bit");
        Assert.That(allZero, Is.False, "a real output, not zeros");
    }

    [Test]
    public void TheStatisticsAreWrittenToMetricsCsv()
    {
        using var directory = new TempFolder();
        using var stats = new LayerStatsCallback(new LayerStatsOptions { EveryEpochs = 2 });

        var result = TestTraining.TrainIn(directory.Path, Recipe(3, [32]), null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            CancellationToken.None, null, stats);

        var lines = File.ReadAllLines(Path.Combine(directory.Path, "metrics.csv")).Select(l => l.Split(',')).ToArray();
        Assert.That(lines[0], Is.EqualTo(new[]
        {
            "epoch", "lr", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "layer01_act_std", "layer01_grad_norm", "layer02_grad_norm", "seconds", "samples_per_second",
        }));
        Assert.That(lines, Has.Length.EqualTo(4));
        foreach (var (name, column) in new[] { ("layer01_act_std", 6), ("layer01_grad_norm", 7), ("layer02_grad_norm", 8) })
        {
            Assert.That(double.Parse(lines[1][column], CultureInfo.InvariantCulture), Is.EqualTo(result.History[0][name]), $"epoch 1 {name}");
            Assert.That(lines[2][column], Is.Empty, $"epoch 2 {name}: not measured");
            Assert.That(double.Parse(lines[3][column], CultureInfo.InvariantCulture), Is.EqualTo(result.History[2][name]), $"epoch 3 {name}");
            Assert.That(result.History[2][name], Is.GreaterThan(0), name);
        }
    }

    [TestCase(1, "act_std", "layer01_act_std")]
    [TestCase(12, "grad_norm", "layer12_grad_norm")]
    [TestCase(123, "grad_norm", "layer123_grad_norm")]
    public void MetricNamesNumberLayersWithTwoDigits(int layer, string statistic, string expected)
    {
        Assert.That(LayerStatsCallback.MetricName(layer, statistic), Is.EqualTo(expected));
    }
}
