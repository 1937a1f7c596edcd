using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Example.Extensions;

/// <summary>relu(x + BN(W2·relu(BN(W1·x)))): a block that keeps deep MLPs trainable.</summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Linear first;
    private readonly BatchNorm1d firstNorm;
    private readonly Linear second;
    private readonly BatchNorm1d secondNorm;

    /// <summary>Creates a block of <paramref name="width"/> units.</summary>
    public ResidualBlock(int width) : base("ResidualBlock")
    {
        first = nn.Linear(width, width);
        firstNorm = nn.BatchNorm1d(width);
        second = nn.Linear(width, width);
        secondNorm = nn.BatchNorm1d(width);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var hidden = nn.functional.relu(firstNorm.forward(first.forward(input)));
        using var branch = secondNorm.forward(second.forward(hidden));
        using var sum = input + branch;
        return nn.functional.relu(sum);
    }
}
