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

    // fan_in = in_channels · kernel size, fan_out = out_channels · kernel size, for every rank of convolution.
    [TestCase(1, "he", 2.0 / (32 * 5))]
    [TestCase(2, "he", 2.0 / (32 * 5 * 5))]
    [TestCase(3, "he", 2.0 / (32 * 5 * 5 * 5))]
    [TestCase(1, "xavier", 2.0 / (32 * 5 + 48 * 5))]
    [TestCase(2, "xavier", 2.0 / (32 * 25 + 48 * 25))]
    [TestCase(3, "xavier", 2.0 / (32 * 125 + 48 * 125))]
    [TestCase(3, "lecun", 1.0 / (32 * 125))]
    public void ConvolutionsOfEveryRankGetTheClosedFormVarianceOfTheirFans(int rank, string scheme, double expected)
    {
        manual_seed(13);
        using nn.Module conv = rank switch
        {
            1 => nn.Conv1d(32, 48, 5),
            2 => nn.Conv2d(32, 48, 5),
            _ => nn.Conv3d(32, 48, 5),
        };

        WeightInitializer.Apply(conv, scheme);

        var weight = conv.named_parameters().Single(p => p.name == "weight").parameter;
        using var w = weight.detach().to_type(ScalarType.Float64);
        // At least 7,680 draws: the sample variance is within ±5% of the true one at 3σ (√(2/n) ≈ 1.6%).
        Assert.That(w.var().item<double>(), Is.EqualTo(expected).Within(5).Percent, $"Conv{rank}d {scheme}");
        Assert.That(WeightInitializer.Fans(weight), Is.EqualTo((32 * (long)Math.Pow(5, rank), 48 * (long)Math.Pow(5, rank))));
    }

    [Test]
    public void ALinearWeightsFansAreItsInputsAndOutputs()
    {
        using var layer = nn.Linear(7, 3);

        Assert.That(WeightInitializer.Fans(layer.weight!), Is.EqualTo((7L, 3L)));
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
