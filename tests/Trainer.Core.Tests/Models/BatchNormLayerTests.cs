using Trainer.Models;
using Trainer.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Tests.Models;

public sealed class BatchNormLayerTests
{
    [Test]
    public void TrainingNormalisesWithBatchStatisticsAndUpdatesTheRunningOnesByTheClosedForm()
    {
        manual_seed(3);
        using var x = randn(64, 5, dtype: ScalarType.Float64) * 3 + 2;
        using var layer = new BatchNormLayer(5, spatialDimensions: 1, momentum: 0.1);
        layer.to(ScalarType.Float64);
        layer.train();

        using var y = layer.forward(x);

        using var mean = x.mean([0]);
        using var biased = x.var([0], unbiased: false);
        using var unbiased = x.var([0], unbiased: true);
        using var expected = (x - mean) / (biased + 1e-5).sqrt();
        Assert.That(y.allclose(expected, rtol: 1e-9, atol: 1e-9), Is.True);
        // running ← (1 − m)·running + m·batch, from mean 0 and variance 1 (the unbiased batch variance, as PyTorch).
        using var runningMean = mean * 0.1;
        using var runningVar = unbiased * 0.1 + 0.9;
        Assert.That(layer.running_mean!.allclose(runningMean, rtol: 1e-9, atol: 1e-12), Is.True);
        Assert.That(layer.running_var!.allclose(runningVar, rtol: 1e-9, atol: 1e-12), Is.True);
        Assert.That(layer.num_batches_tracked!.item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void EvaluationUsesTheRunningStatistics()
    {
        manual_seed(4);
        using var layer = new BatchNormLayer(3, spatialDimensions: 2);
        using (no_grad())
        {
            layer.running_mean!.copy_(tensor(new[] { 1f, -2f, 0.5f }));
            layer.running_var!.copy_(tensor(new[] { 4f, 0.25f, 1f }));
        }
        layer.eval();
        using var x = randn(8, 3, 4, 4);

        using var y = layer.forward(x);

        using var mean = tensor(new[] { 1f, -2f, 0.5f }).view(1, 3, 1, 1);
        using var variance = tensor(new[] { 4f, 0.25f, 1f }).view(1, 3, 1, 1);
        using var expected = (x - mean) / (variance + 1e-5f).sqrt();
        Assert.That(y.allclose(expected, rtol: 1e-5, atol: 1e-6), Is.True);
        Assert.That(layer.num_batches_tracked!.item<long>(), Is.EqualTo(0), "evaluation does not count batches");
    }

    [Test]
    public void MatchesTorchSharpsBatchNormInOutputsAndStateAndLoadsItsState()
    {
        manual_seed(5);
        using var theirs = nn.BatchNorm1d(6);
        using var ours = new BatchNormLayer(6, spatialDimensions: 1);
        Assert.That(ours.state_dict().Keys, Is.EquivalentTo(theirs.state_dict().Keys));
        using (no_grad())
        {
            theirs.weight!.uniform_(0.5, 1.5);
            theirs.bias!.uniform_(-1, 1);
        }
        ours.load_state_dict(theirs.state_dict());

        for (var step = 0; step < 3; step++)
        {
            using var x = randn(32, 6) * 2 - 1;
            using var a = theirs.forward(x);
            using var b = ours.forward(x);
            Assert.That(b.allclose(a, rtol: 1e-5, atol: 1e-6), Is.True, $"training step {step}");
        }
        foreach (var (name, value) in theirs.state_dict())
            Assert.That(ours.state_dict()[name].to_type(ScalarType.Float64).allclose(value.to_type(ScalarType.Float64), rtol: 1e-6, atol: 1e-7), Is.True, name);
        theirs.eval();
        ours.eval();
        using var z = randn(10, 6);
        using var expected = theirs.forward(z);
        using var actual = ours.forward(z);
        Assert.That(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), Is.True, "evaluation");
    }

    [Test]
    public void AnInputOfTheWrongRankIsRefusedNamingTheExpectedShape()
    {
        using var layer = new BatchNormLayer(4, spatialDimensions: 2);
        using var x = randn(8, 4);

        var error = Assert.Throws<ArgumentException>(() => layer.forward(x));

        Assert.That(error!.Message, Does.Contain("BatchNorm2d expects 4-D (N×C×H×W) input, not 2-D"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BatchNormLayer(4, spatialDimensions: 3));
    }

    [Test]
    public void ATrainingForwardPassLeavesNothingToTheFinalizer()
    {
        using var layer = new BatchNormLayer(16, spatialDimensions: 1);
        using var x = randn(32, 16);
        const int calls = 300;

        var pending = Finalization.PendingAfter(calls, () =>
        {
            using var scope = NewDisposeScope();
            layer.forward(x);
        });

        // TorchSharp's own BatchNorm1d leaves two native Scalars per call, which the same count sees (the control shows
        // the measurement works); a few from elsewhere in the process are tolerated.
        using var theirs = nn.BatchNorm1d(16);
        var theirsPending = Finalization.PendingAfter(calls, () =>
        {
            using var scope = NewDisposeScope();
            theirs.forward(x);
        });
        Assert.That(theirsPending, Is.GreaterThanOrEqualTo(calls));
        Assert.That(pending, Is.LessThan(calls / 10));
    }
}
