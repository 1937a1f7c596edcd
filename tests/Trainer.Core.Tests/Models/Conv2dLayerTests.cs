using Trainer.Models;
using Trainer.Tests.Support;
using static TorchSharp.torch;

namespace Trainer.Tests.Models;

public sealed class Conv2dLayerTests
{
    [Test]
    public void MatchesTorchSharpsConv2dInStateOutputAndGradients()
    {
        manual_seed(8);
        using var theirs = nn.Conv2d(3, 5, 3, padding: 1);
        using var ours = new Conv2dLayer(3, 5, 3, padding: 1);
        Assert.That(ours.state_dict().Keys, Is.EquivalentTo(theirs.state_dict().Keys));
        ours.load_state_dict(theirs.state_dict());
        using var x = randn(4, 3, 7, 7);

        using var a = theirs.forward(x);
        using var b = ours.forward(x);
        a.sum().backward();
        b.sum().backward();

        Assert.That(b.shape, Is.EqualTo(new long[] { 4, 5, 7, 7 }));
        Assert.That(b.allclose(a, rtol: 1e-5, atol: 1e-6), Is.True);
        Assert.That(ours.weight.grad!.allclose(theirs.weight!.grad!, rtol: 1e-5, atol: 1e-5), Is.True);
        Assert.That(ours.bias!.grad!.allclose(theirs.bias!.grad!, rtol: 1e-5, atol: 1e-5), Is.True);
    }

    [Test]
    public void WithoutBiasAndWithoutPaddingTheClosedFormHolds()
    {
        using var layer = new Conv2dLayer(1, 1, 2, bias: false);
        using (no_grad()) layer.weight.copy_(tensor(new[] { 1f, 2f, 3f, 4f }).view(1, 1, 2, 2));
        using var x = arange(9, dtype: ScalarType.Float32).view(1, 1, 3, 3);

        using var y = layer.forward(x);

        // Cross-correlation: y[i, j] = Σ w[a, b] · x[i + a, j + b].
        Assert.That(y.data<float>().ToArray(), Is.EqualTo(new[] { 0f + 2 + 9 + 16, 1 + 4 + 12 + 20, 3 + 8 + 18 + 28, 4 + 10 + 21 + 32 }));
        Assert.That(layer.bias, Is.Null);
    }

    [Test]
    public void AnInputWithTheWrongChannelsIsRefusedNamingThem()
    {
        using var layer = new Conv2dLayer(3, 4, 3);
        using var x = randn(2, 1, 5, 5);

        var error = Assert.Throws<ArgumentException>(() => layer.forward(x));

        Assert.That(error!.Message, Is.EqualTo("Conv2d expects 4-D input (N×C×H×W) with 3 channels, not 4-D with 1."));
    }

    [Test]
    public void AForwardPassLeavesNothingToTheFinalizer()
    {
        using var ours = new Conv2dLayer(2, 4, 3, padding: 1);
        using var theirs = nn.Conv2d(2, 4, 3, padding: 1);
        using var x = randn(8, 2, 6, 6);
        const int calls = 200;

        var oursPending = Finalization.PendingAfter(calls, () =>
        {
            using var scope = NewDisposeScope();
            ours.forward(x);
        });
        var theirsPending = Finalization.PendingAfter(calls, () =>
        {
            using var scope = NewDisposeScope();
            theirs.forward(x);
        });

        Assert.That(theirsPending, Is.GreaterThanOrEqualTo(calls), "TorchSharp's Conv2d reads input.shape twice per call");
        Assert.That(oursPending, Is.LessThan(calls / 10));
    }
}
