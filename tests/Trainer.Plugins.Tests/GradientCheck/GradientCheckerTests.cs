using Trainer.Models;
using Trainer.Plugins.GradientCheck;
using Trainer.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Plugins.Tests.GradientCheck;

public sealed class GradientCheckerTests
{
    private static (Tensor X, Tensor Y) Batch(int count = 16)
    {
        using var splits = Trainer.Data.DataPipeline.Load(new DataOptions { Source = "digits", Normalize = "per-feature" }, ".", seed: 1);
        return (splits.Train.Features.narrow(0, 0, count).clone(), splits.Train.Labels.narrow(0, 0, count).clone());
    }

    private static GradientCheckReport CheckRecipeModel(ModelOptions model, double weightDecay, GradientCheckOptions? options = null)
    {
        manual_seed(5);
        var (x, y) = Batch();
        using var source = ModelFactory.Create(model, [1, 8, 8], 10);
        return GradientChecker.CheckCopy(source, () => ModelFactory.Create(model, [1, 8, 8], 10), x, y, weightDecay,
            options ?? new GradientCheckOptions { Full = true });
    }

    [TestCase("relu", 0.0)]
    [TestCase("relu", 0.01)]
    [TestCase("tanh", 0.0)]
    [TestCase("tanh", 0.01)]
    [TestCase("sigmoid", 0.0)]
    [TestCase("sigmoid", 0.01)]
    [TestCase("leaky-relu", 0.0)]
    [TestCase("leaky-relu", 0.01)]
    public void TheMlpWithBatchNormPassesForEveryActivationWithAndWithoutWeightDecay(string activation, double weightDecay)
    {
        var report = CheckRecipeModel(new ModelOptions { Hidden = [12, 8], BatchNorm = true, Activation = activation }, weightDecay);

        Assert.That(report.RelativeError, Is.LessThan(1e-7), report.Summary);
        Assert.That(report.Verdict, Is.EqualTo(GradientCheckVerdict.Ok), string.Join("; ", report.Tensors.Select(t => $"{t.Name} {t.RelativeError:G3}")));
        Assert.That(report.EntriesChecked, Is.EqualTo(64 * 12 + 12 * 2 + 12 * 8 + 8 * 2 + 8 * 10 + 10), "Full checks every entry");
    }

    [TestCase(0.0)]
    [TestCase(0.01)]
    public void TheCnnPasses(double weightDecay)
    {
        var report = CheckRecipeModel(new ModelOptions { Kind = "cnn", Channels = [2, 3], Hidden = [6], BatchNorm = true }, weightDecay);

        Assert.That(report.RelativeError, Is.LessThan(1e-7), report.Summary);
    }

    [Test]
    public void ACorrectCustomAutogradFunctionPasses()
    {
        manual_seed(1);
        var (x, y) = Batch();
        using var model = new PlantedBugNet();
        model.to(ScalarType.Float64);

        var report = GradientChecker.CheckModel(model, x.to(ScalarType.Float64), y, 0, new GradientCheckOptions { Full = true });

        Assert.That(report.RelativeError, Is.LessThan(1e-7), report.Summary);
    }

    [TestCase(PlantedBug.BackwardTimesTwo)]
    [TestCase(PlantedBug.BackwardTransposed)]
    public void AWrongCustomBackwardFailsNamingItsParameter(PlantedBug bug)
    {
        manual_seed(1);
        var (x, y) = Batch();
        using var model = new PlantedBugNet(bug);
        model.to(ScalarType.Float64);

        var report = GradientChecker.CheckModel(model, x.to(ScalarType.Float64), y, 0, new GradientCheckOptions());

        Assert.That(report.Verdict, Is.EqualTo(GradientCheckVerdict.Fail));
        Assert.That(report.WorstTensor.Name, Is.EqualTo("custom"));
        Assert.That(report.Summary, Does.StartWith("gradient check fail:").And.Contain("worst parameter custom at"));
        Assert.That(report.Tensors.Single(t => t.Name == "fc1.weight").Verdict, Is.EqualTo(GradientCheckVerdict.Ok), "the other layers are right");
    }

    [Test]
    public void AGradientHookThatScalesOneLayerIsCaught()
    {
        manual_seed(1);
        var (x, y) = Batch();
        using var model = new PlantedBugNet(fc1GradientScale: 1.5);
        model.to(ScalarType.Float64);

        var report = GradientChecker.CheckModel(model, x.to(ScalarType.Float64), y, 0, new GradientCheckOptions());

        Assert.That(report.Verdict, Is.EqualTo(GradientCheckVerdict.Fail));
        Assert.That(report.WorstTensor.Name, Is.EqualTo("fc1.weight"));
        Assert.That(report.WorstTensor.RelativeError, Is.EqualTo(0.5 / 2.5).Within(1e-6), "|1.5g − g| / (|1.5g| + |g|) = 0.2");
    }

    [Test]
    public void ForgettingTheL2TermInTheAnalyticGradientIsCaught()
    {
        manual_seed(1);
        var (x, y) = Batch();
        using var model = ModelFactory.Create(new ModelOptions { Hidden = [8] }, [1, 8, 8], 10);
        model.to(ScalarType.Float64);
        var x64 = x.to(ScalarType.Float64);
        var parameters = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        const double lambda = 0.1;

        Tensor Cost()
        {
            var loss = nn.functional.cross_entropy(model.forward(x64), y);
            foreach (var (_, p) in parameters) loss = loss + p.square().sum() * (lambda / 2);
            return loss;
        }

        IReadOnlyList<Tensor> AnalyticWithoutL2()
        {
            model.zero_grad();
            nn.functional.cross_entropy(model.forward(x64), y).backward();
            return parameters.Select(p => p.Item2.grad!).ToList();
        }

        var report = GradientChecker.Check(parameters, Cost, AnalyticWithoutL2, new GradientCheckOptions());
        var withL2 = GradientChecker.CheckModel(model, x64, y, lambda, new GradientCheckOptions());

        Assert.That(report.Verdict, Is.EqualTo(GradientCheckVerdict.Fail));
        Assert.That(report.Summary, Does.Contain($"worst parameter {report.WorstTensor.Name} at"));
        Assert.That(report.WorstTensor.Name, Is.EqualTo("layers.fc1.weight"), "large weights with small data gradients suffer most");
        Assert.That(withL2.RelativeError, Is.LessThan(1e-7), withL2.Summary);
    }

    [Test]
    public void TheCheckedModelItsModeAndTheRngAreLeftExactlyAsTheyWere()
    {
        manual_seed(9);
        var options = new ModelOptions { Hidden = [12], BatchNorm = true, Dropout = 0.3 };
        var (x, y) = Batch();
        using var source = ModelFactory.Create(options, [1, 8, 8], 10);
        using (no_grad()) source.forward(x); // give batch norm non-trivial running statistics
        source.eval();
        var before = source.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        using var rngBefore = random.get_rng_state();

        var report = GradientChecker.CheckCopy(source, () => ModelFactory.Create(options, [1, 8, 8], 10), x, y, 0.01, new GradientCheckOptions());

        using var rngAfter = random.get_rng_state();
        Assert.That(report.DropoutDisabled, Is.True);
        Assert.That(report.RelativeError, Is.LessThan(1e-7), report.Summary);
        Assert.That(source.training, Is.False, "still in evaluation mode");
        Assert.That(rngAfter.equal(rngBefore).all().item<bool>(), Is.True, "global RNG state unchanged");
        foreach (var (name, tensor) in source.state_dict())
            Assert.That(tensor.equal(before[name]).all().item<bool>(), Is.True, name);
        Assert.That(source.state_dict()["layers.bn1.running_mean"].abs().sum().item<float>(), Is.GreaterThan(0));
    }

    [Test]
    public void ASourceInTrainingModeKeepsItsModeAndItsGradients()
    {
        manual_seed(9);
        var options = new ModelOptions { Hidden = [12], BatchNorm = true };
        var (x, y) = Batch();
        using var source = ModelFactory.Create(options, [1, 8, 8], 10);
        nn.functional.cross_entropy(source.forward(x), y).backward();
        var grads = source.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        var state = source.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

        GradientChecker.CheckCopy(source, () => ModelFactory.Create(options, [1, 8, 8], 10), x, y, 0, new GradientCheckOptions());

        Assert.That(source.training, Is.True);
        foreach (var (name, p) in source.named_parameters())
            Assert.That(p.grad!.equal(grads[name]).all().item<bool>(), Is.True, $"{name}.grad");
        foreach (var (name, tensor) in source.state_dict())
            Assert.That(tensor.equal(state[name]).all().item<bool>(), Is.True, name);
    }

    [Test]
    public void ASeededSampleLimitsTheEntriesPerTensor()
    {
        var options = new GradientCheckOptions { MaxEntriesPerTensor = 3, Seed = 4 };
        var a = CheckRecipeModel(new ModelOptions { Hidden = [12] }, 0, options);
        var b = CheckRecipeModel(new ModelOptions { Hidden = [12] }, 0, options);

        Assert.That(a.Tensors.Select(t => t.EntriesChecked), Is.EqualTo(new long[] { 3, 3, 3, 3 }));
        Assert.That(a.Worst.Select(e => e.IndexText), Is.EqualTo(b.Worst.Select(e => e.IndexText)));
        Assert.That(a.Duration, Is.GreaterThan(TimeSpan.Zero));
    }

    [TestCase(5e-8, GradientCheckVerdict.Ok)]
    [TestCase(5e-6, GradientCheckVerdict.Warn)]
    [TestCase(5e-4, GradientCheckVerdict.Suspect)]
    [TestCase(1e-3, GradientCheckVerdict.Fail)]
    [TestCase(double.NaN, GradientCheckVerdict.Fail)]
    public void VerdictsFollowTheThresholds(double error, GradientCheckVerdict verdict) =>
        Assert.That(new GradientCheckOptions().VerdictOf(error), Is.EqualTo(verdict));
}
