using Trainer.Models;
using static TorchSharp.torch;

namespace Example.Extensions;

/// <summary>
/// <c>"Model": { "Type": "ResidualMlp", "Options": { "Width": 128, "Blocks": 2 } }</c>: flatten, a linear layer to
/// <c>Width</c> units, <c>Blocks</c> residual blocks, and a linear layer to the class logits.
/// </summary>
public sealed class ResidualMlpModelFactory(ResidualMlpOptions options) : IModelFactory
{
    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        var inputs = context.InputShape.Aggregate(1L, (a, b) => a * b);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("flatten", nn.Flatten()),
            ("stem", nn.Linear(inputs, options.Width)),
            ("stem_act", nn.ReLU()),
        };
        for (var i = 1; i <= options.Blocks; i++) layers.Add(($"block{i}", new ResidualBlock(options.Width)));
        layers.Add(("out", nn.Linear(options.Width, context.ClassCount)));
        return nn.Sequential(layers);
    }
}
