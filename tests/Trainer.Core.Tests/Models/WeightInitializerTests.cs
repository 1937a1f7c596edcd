using Trainer.Models;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Tests.Models;

public sealed class WeightInitializerTests
{
    [TestCase("he", 2.0 / 400)]
    [TestCase("xavier", 2.0 / (400 + 300))]
    [TestCase("lecun", 1.0 / 400)]
    [TestCase("normal-0.01", 1e-4)]
    public void EachSchemeGivesLinearWeightsItsClosedFormVariance(string scheme, double expected)
    {
        manual_seed(11);
        using var layer = nn.Linear(400, 300);

        WeightInitializer.Apply(layer, scheme);

        // 120,000 draws: the sample variance is within ~0.5% of the true one (3σ); 3% leaves a wide margin.
        using var w = layer.weight!.detach().to_type(ScalarType.Float64);
        Assert.That(w.var().item<double>(), Is.EqualTo(expected).Within(3).Percent);
        Assert.That(Math.Abs(w.mean().item<double>()), Is.LessThan(4 * Math.Sqrt(expected / 120_000)));
        Assert.That(layer.bias!.abs().max().item<float>(), Is.EqualTo(0f));
        Assert.That(WeightInitializer.Variance(scheme, 400, 300), Is.EqualTo(expected));
    }

    [Test]
    public void HeUsesTheFanInOfAConvolution()
    {
        manual_seed(12);
        using var conv = nn.Conv2d(16, 64, 3);

        WeightInitializer.Apply(conv, "he");

        using var w = conv.weight!.detach().to_type(ScalarType.Float64);
        Assert.That(w.var().item<double>(), Is.EqualTo(2.0 / (16 * 9)).Within(5).Percent);
    }

    [Test]
    public void ZerosMakesEveryWeightZero()
    {
        using var model = ModelFactory.Create(new ModelOptions { Hidden = [8, 4], Init = "zeros" }, [5], 3);

        foreach (var (name, p) in model.named_parameters())
            Assert.That(p.abs().max().item<float>(), Is.EqualTo(0f), name);
    }

    [Test]
    public void TheModelFactoryBuildsTheLayersTheRecipeNames()
    {
        using var model = ModelFactory.Create(new ModelOptions { Hidden = [8, 4], BatchNorm = true, Dropout = 0.5, Activation = "tanh" }, [1, 2, 3], 3);

        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.That(names, Is.EqualTo(new[]
        {
            "layers.fc1.weight", "layers.bn1.weight", "layers.bn1.bias", "layers.fc2.weight", "layers.bn2.weight", "layers.bn2.bias",
            "layers.out.weight", "layers.out.bias",
        }));
        using var output = model.forward(randn(5, 1, 2, 3));
        Assert.That(output.shape, Is.EqualTo(new long[] { 5, 3 }));
    }

    [Test]
    public void TheCnnMapsImagesToClassLogits()
    {
        using var model = ModelFactory.Create(new ModelOptions { Kind = "cnn", Channels = [4, 8], Hidden = [16], BatchNorm = true }, [1, 8, 8], 10);

        using var output = model.forward(randn(3, 1, 8, 8));

        Assert.That(output.shape, Is.EqualTo(new long[] { 3, 10 }));
    }

    [Test]
    public void TheCnnRefusesTabularInputs()
    {
        var error = Assert.Throws<RecipeException>(() => ModelFactory.Create(new ModelOptions { Kind = "cnn" }, [64], 10));

        Assert.That(error!.Message, Does.StartWith("Model:Kind 'cnn' needs image inputs"));
    }
}
