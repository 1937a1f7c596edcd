using Trainer.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Trainer.Tests.Models;

/// <summary>
/// The CNN's pooling: libtorch's max_pool2d on a channels-last copy while autograd records, the maximum of four strided
/// quarters otherwise; both give max_pool2d's own results.
/// </summary>
public sealed class MaxPool2x2LayerTests
{
    [Test]
    public void WithoutGradientsItGivesMaxPool2dsValuesBitForBitAlsoForOddSizesNaNAndInfinities()
    {
        manual_seed(3);
        using var pool = new MaxPool2x2Layer();
        using var input = randn(3, 4, 7, 9);
        input[0, 0, 0, 0] = tensor(float.NaN);
        input[1, 2, 3, 4] = tensor(float.NegativeInfinity);
        input[2, 3, 5, 6] = tensor(float.PositiveInfinity);
        using var expected = F.max_pool2d(input, 2);

        using var noGrad = no_grad();
        using var actual = pool.forward(input);

        Assert.That(actual.shape, Is.EqualTo(new long[] { 3, 4, 3, 4 }));
        Assert.That(actual.isnan().sum().item<long>(), Is.EqualTo(1), "the NaN's window is NaN, as in max_pool2d");
        Assert.That(actual.nan_to_num(0).equal(expected.nan_to_num(0)).all().item<bool>(), Is.True);
        Assert.That(actual.isnan().equal(expected.isnan()).all().item<bool>(), Is.True);
    }

    [Test]
    public void WhileAutogradRecordsTheGradientGoesToTheFirstMaximumOfEachWindowAsMaxPool2dsDoes()
    {
        using var pool = new MaxPool2x2Layer();
        // One window [[1, 2], [2, 0]]: the maximum 2 appears twice; max_pool2d sends the whole gradient to the first.
        using var input = tensor(new float[] { 1, 2, 2, 0 }).reshape(1, 1, 2, 2).requires_grad_();

        pool.forward(input).sum().backward();

        Assert.That(input.grad!.reshape(4).data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1, 0, 0 }));
    }

    [Test]
    public void WhileAutogradRecordsValuesAndGradientsAreMaxPool2dsBitForBitWithTiesOddSizesAndInfinities()
    {
        manual_seed(5);
        using var pool = new MaxPool2x2Layer();
        using var values = randint(0, 3, [4, 6, 9, 11]).to_type(ScalarType.Float32); // three values only: most windows hold ties
        values[0, 0, 0, 0] = tensor(float.NegativeInfinity);
        values[1, 1, 2, 2] = tensor(float.PositiveInfinity);
        values[2, 2, 4, 4] = tensor(float.NegativeInfinity);
        values[2, 2, 4, 5] = tensor(float.NegativeInfinity);
        values[2, 2, 5, 4] = tensor(float.NegativeInfinity);
        values[2, 2, 5, 5] = tensor(float.NegativeInfinity); // a window of −∞ alone
        using var upstream = randn(4, 6, 4, 5);
        using var ours = values.clone().requires_grad_();
        using var theirs = values.clone().requires_grad_();

        using var actual = pool.forward(ours);
        using var expected = F.max_pool2d(theirs, 2);
        actual.backward([upstream]);
        expected.backward([upstream]);

        Assert.That(MaxPool2x2Layer.UsesChannelsLastKernel, Is.True, "the channels-last path is the one compared here");
        Assert.That(actual.shape, Is.EqualTo(new long[] { 4, 6, 4, 5 }));
        Assert.That(actual.is_contiguous(), Is.True, "the result is in the usual layout for the layers after it");
        Assert.That(actual.equal(expected).all().item<bool>(), Is.True, "the values");
        Assert.That(ours.grad!.equal(theirs.grad!).all().item<bool>(), Is.True, "the gradient: to the first maximum of every window");
    }

    [Test]
    public void WhileAutogradRecordsANaNWindowIsNaNAsInMaxPool2d()
    {
        using var pool = new MaxPool2x2Layer();
        using var values = tensor(new float[] { 1, float.NaN, 3, 0, 2, 5, 1, 4 }).reshape(1, 1, 2, 4);
        using var input = values.clone().requires_grad_();
        using var reference = values.clone().requires_grad_();

        using var actual = pool.forward(input);
        using var expected = F.max_pool2d(reference, 2);
        actual.sum().backward();
        expected.sum().backward();

        Assert.That(actual.isnan().equal(expected.isnan()).all().item<bool>(), Is.True);
        Assert.That(actual.nan_to_num(0).equal(expected.nan_to_num(0)).all().item<bool>(), Is.True);
        Assert.That(actual[0, 0, 0, 0].item<float>(), Is.NaN);
        Assert.That(actual[0, 0, 0, 1].item<float>(), Is.EqualTo(4f));
        Assert.That(input.grad!.data<float>().ToArray(), Is.EqualTo(reference.grad!.data<float>().ToArray()), "the NaN window's gradient goes to the NaN");
    }

    [Test]
    public void InputThatIsNotABatchOfImagesIsRefusedByName()
    {
        using var pool = new MaxPool2x2Layer();
        using var noGrad = no_grad();
        using var input = zeros(2, 8, 8);

        var error = Assert.Throws<ArgumentException>(() => pool.forward(input))!;

        Assert.That(error.Message, Does.Contain("MaxPool2d expects 4-D input").And.Contain("not 3-D"));
    }
}
