using Trainer.Optimizers;
using Trainer.Tests.Support;
using static TorchSharp.torch;

namespace Trainer.Tests.Optimizers;

public sealed class GradientsTests
{
    [Test]
    public void ZeroesEveryDefinedGradientInPlaceAndLeavesUndefinedOnesUndefined()
    {
        manual_seed(6);
        using var used = nn.Linear(4, 3);
        using var unused = nn.Linear(2, 2);
        using (var scope = NewDisposeScope()) used.forward(randn(5, 4)).sum().backward();
        var parameters = used.parameters().Concat(unused.parameters()).ToArray();
        using var before = used.weight!.grad!;
        Assert.That(before.abs().sum().item<float>(), Is.GreaterThan(0f));

        Gradients.ZeroGradients(parameters);

        foreach (var p in used.parameters())
        {
            using var grad = p.grad!;
            Assert.That(grad.abs().sum().item<float>(), Is.EqualTo(0f));
        }
        Assert.That(before.abs().sum().item<float>(), Is.EqualTo(0f), "in place: the same gradient tensor is zeroed");
        Assert.That(unused.parameters().All(p => p.grad is null), Is.True);
    }

    [Test]
    public void LeavesNothingToTheFinalizerWhereZeroGradDoes()
    {
        manual_seed(7);
        using var model = nn.Sequential(nn.Linear(8, 8), nn.Linear(8, 2));
        using (var scope = NewDisposeScope()) model.forward(randn(4, 8)).sum().backward();
        var parameters = model.parameters().ToArray();
        using var optimizer = optim.SGD(parameters, 0.1);
        const int calls = 200;

        var ours = Finalization.PendingAfter(calls, () =>
        {
            using var scope = NewDisposeScope();
            Gradients.ZeroGradients(parameters);
        });
        var theirs = Finalization.PendingAfter(calls, () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
        });

        Assert.That(theirs, Is.GreaterThanOrEqualTo(calls * parameters.Length), "TorchSharp's zero_grad: one Scalar per parameter and call");
        Assert.That(ours, Is.LessThan(calls / 10));
    }

    [Test]
    public void NullParametersAreRefused() => Assert.Throws<ArgumentNullException>(() => Gradients.ZeroGradients(null!));
}
