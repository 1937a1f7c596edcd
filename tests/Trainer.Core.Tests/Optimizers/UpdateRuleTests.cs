using Trainer.Optimizers;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Tests.Optimizers;

/// <summary>
/// Two steps of each optimizer on J(w) = c·w (constant gradient c) against the closed-form update, on libtorch's fused
/// kernels (auto: every kind but RMSprop, which has none) and on the managed optimizers.
/// </summary>
[TestFixture("auto")]
[TestFixture("managed")]
public sealed class UpdateRuleTests(string implementation)
{
    private const double Lr = 0.1, W0 = 1.0, C = 0.5;

    private double[] TwoSteps(OptimizerOptions options)
    {
        options.Implementation = implementation;
        using var w = nn.Parameter(tensor(new[] { W0 }));
        using var optimizer = OptimizerFactory.Create(options, [w]);
        var fused = implementation == "auto" && options.Kind != "rmsprop";
        Assert.That(optimizer.GetType().Name.StartsWith("Fused", StringComparison.Ordinal), Is.EqualTo(fused), optimizer.GetType().Name);
        var values = new double[2];
        for (var step = 0; step < 2; step++)
        {
            optimizer.zero_grad();
            (w * C).sum().backward();
            optimizer.step();
            values[step] = w.data<double>()[0];
        }
        return values;
    }

    [Test]
    public void SgdWithWeightDecayStepsAlongTheGradientPlusTheL2Term()
    {
        // w1 = w0 − α(c + λw0); w2 = w1 − α(c + λw1)
        const double lambda = 0.3;
        var w1 = W0 - Lr * (C + lambda * W0);
        var w2 = w1 - Lr * (C + lambda * w1);
        Assert.That(TwoSteps(new OptimizerOptions { Kind = "sgd", LearningRate = Lr, WeightDecay = lambda }), Is.EqualTo(new[] { w1, w2 }).Within(1e-12));
    }

    [Test]
    public void MomentumAccumulatesVelocity()
    {
        // v1 = c, w1 = w0 − α·v1; v2 = μ·v1 + c, w2 = w1 − α·v2
        var w1 = W0 - Lr * C;
        var w2 = w1 - Lr * (0.9 * C + C);
        Assert.That(TwoSteps(new OptimizerOptions { Kind = "momentum", LearningRate = Lr, Momentum = 0.9 }), Is.EqualTo(new[] { w1, w2 }).Within(1e-12));
    }

    [Test]
    public void NesterovLooksAhead()
    {
        // v1 = c, w1 = w0 − α(c + μ·v1); v2 = μ·v1 + c, w2 = w1 − α(c + μ·v2)
        var v1 = C;
        var w1 = W0 - Lr * (C + 0.9 * v1);
        var v2 = 0.9 * v1 + C;
        var w2 = w1 - Lr * (C + 0.9 * v2);
        Assert.That(TwoSteps(new OptimizerOptions { Kind = "nesterov", LearningRate = Lr, Momentum = 0.9 }), Is.EqualTo(new[] { w1, w2 }).Within(1e-12));
    }

    [Test]
    public void RmspropDividesByTheRootOfTheSquaredGradientAverage()
    {
        // s_t = ρ·s_{t−1} + (1 − ρ)·c², w_t = w_{t−1} − α·c / (√s_t + ε)
        const double rho = 0.9, eps = 1e-8;
        var s1 = (1 - rho) * C * C;
        var w1 = W0 - Lr * C / (Math.Sqrt(s1) + eps);
        var s2 = rho * s1 + (1 - rho) * C * C;
        var w2 = w1 - Lr * C / (Math.Sqrt(s2) + eps);
        Assert.That(TwoSteps(new OptimizerOptions { Kind = "rmsprop", LearningRate = Lr, Rho = rho, Beta2 = 0.5, Epsilon = eps }), Is.EqualTo(new[] { w1, w2 }).Within(1e-9),
            "Beta2 is Adam's, not RMSprop's");
    }

    [Test]
    public void RmspropsDefaultDecayIsPyTorchs099SoItsFirstStepIsTenTimesTheRate()
    {
        // s_1 = (1 − ρ)·c², so the first step is α·c/√((1 − ρ)c²) = α/√(1 − ρ) = 10α at ρ = 0.99 (it was 32α with 0.999).
        var w1 = TwoSteps(new OptimizerOptions { Kind = "rmsprop", LearningRate = Lr })[0];
        Assert.That(new OptimizerOptions().Rho, Is.EqualTo(0.99));
        Assert.That(W0 - w1, Is.EqualTo(Lr / Math.Sqrt(1 - 0.99)).Within(1e-6));
    }

    [Test]
    public void AdamWithBiasCorrectionMovesByTheLearningRateOnAConstantGradient()
    {
        // m̂_t = c and v̂_t = c² for a constant gradient, so each step is α·c/(|c| + ε).
        var step = Lr * C / (C + 1e-8);
        Assert.That(TwoSteps(new OptimizerOptions { Kind = "adam", LearningRate = Lr }), Is.EqualTo(new[] { W0 - step, W0 - 2 * step }).Within(1e-9));
    }

    [Test]
    public void AdamAddsL2ToTheGradientWhileAdamWDecaysTheWeightsDirectly()
    {
        const double lambda = 0.2;
        // Adam (coupled): g = c + λ·w0 enters the moments; step 1 moves by α·g/(|g| + ε) = α (up to ε).
        var adam = TwoSteps(new OptimizerOptions { Kind = "adam", LearningRate = Lr, WeightDecay = lambda })[0];
        Assert.That(adam, Is.EqualTo(W0 - Lr * (C + lambda * W0) / (C + lambda * W0 + 1e-8)).Within(1e-9));
        // AdamW (decoupled): w ← w·(1 − α·λ), then the plain Adam step α·c/(|c| + ε).
        var adamW = TwoSteps(new OptimizerOptions { Kind = "adamw", LearningRate = Lr, WeightDecay = lambda })[0];
        Assert.That(adamW, Is.EqualTo(W0 * (1 - Lr * lambda) - Lr * C / (C + 1e-8)).Within(1e-9));
    }
}
