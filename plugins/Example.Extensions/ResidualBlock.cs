using Trainer.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Example.Extensions;

/// <summary>
/// relu(x + BN(W2·relu(BN(W1·x)))): a block that keeps deep MLPs trainable. Its batch norms are Trainer's
/// <see cref="BatchNormLayer"/> and its sum has a held alpha, so a step leaves nothing to the finalizer.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Linear first;
    private readonly BatchNormLayer firstNorm;
    private readonly Linear second;
    private readonly BatchNormLayer secondNorm;
    private readonly TorchSharp.Scalar one = 1;

    /// <summary>Creates a block of <paramref name="width"/> units.</summary>
    public ResidualBlock(int width) : base("ResidualBlock")
    {
        first = nn.Linear(width, width);
        firstNorm = new BatchNormLayer(width, spatialDimensions: 1);
        second = nn.Linear(width, width);
        secondNorm = new BatchNormLayer(width, spatialDimensions: 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var hidden = nn.functional.relu(firstNorm.forward(first.forward(input)));
        using var branch = secondNorm.forward(second.forward(hidden));
        using var sum = input.add(branch, one); // input + branch would make a Scalar (alpha) per call
        return nn.functional.relu(sum);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) one.Dispose();
        base.Dispose(disposing);
    }
}
