using Trainer.Optimizers;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Tests.Optimizers;

public sealed class OptimizerFactoryTests
{
    [TestCase("sgd", 0.5)]
    [TestCase("momentum", 0.1)]
    [TestCase("nesterov", 0.1)]
    [TestCase("rmsprop", 0.01)]
    [TestCase("adam", 0.01)]
    [TestCase("adamw", 0.01)]
    public void EachOptimizerReducesTheLossOfASmallProblem(string kind, double learningRate)
    {
        manual_seed(3);
        // Softmax regression on three Gaussian blobs.
        using var centers = tensor(new float[] { 2, 0, -2, 2, 0, -2 }, [3, 2]);
        using var labels = arange(300, ScalarType.Int64) % 3;
        using var inputs = centers.index_select(0, labels) + 0.5f * randn(300, 2);
        using var model = nn.Linear(2, 3);
        using var optimizer = OptimizerFactory.Create(new OptimizerOptions { Kind = kind, LearningRate = learningRate, WeightDecay = 1e-4 }, model.parameters());

        double Loss()
        {
            using var noGrad = no_grad();
            using var loss = nn.functional.cross_entropy(model.forward(inputs), labels);
            return loss.item<float>();
        }

        var before = Loss();
        for (var step = 0; step < 100; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(inputs), labels).backward();
            optimizer.step();
        }

        Assert.That(Loss(), Is.LessThan(before * 0.5), $"{kind}: loss {before:F4} → {Loss():F4}");
    }

    [Test]
    public void SettingTheLearningRateChangesEveryGroup()
    {
        using var model = nn.Linear(2, 3);
        using var optimizer = OptimizerFactory.Create(new OptimizerOptions { Kind = "momentum", LearningRate = 0.1 }, model.parameters());

        OptimizerFactory.SetLearningRate(optimizer, 0.025);

        Assert.That(optimizer.ParamGroups.Select(g => g.LearningRate), Is.All.EqualTo(0.025));
        Assert.That(OptimizerFactory.GetLearningRate(optimizer), Is.EqualTo(0.025));
    }

    [Test]
    public void PlainSgdFollowsTheUpdateRuleWithL2()
    {
        using var w = nn.Parameter(tensor(new[] { 1.0, -2.0 }));
        using var optimizer = OptimizerFactory.Create(new OptimizerOptions { Kind = "sgd", LearningRate = 0.1, WeightDecay = 0.5 }, [w]);

        optimizer.zero_grad();
        (w * w).sum().backward(); // dJ/dw = 2w
        optimizer.step();

        // w ← w − α (2w + λw) = w (1 − 0.1 · 2.5)
        Assert.That(w.data<double>().ToArray(), Is.EqualTo(new[] { 0.75, -1.5 }).Within(1e-12));
    }
}
