using TorchSharp;
using TorchSharp.Modules;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>
/// A small convolutional classifier for C×H×W images: per entry of <see cref="ModelOptions.Channels"/> a block
/// Conv2d 3×3 (same padding) → (BatchNorm2d) → activation → MaxPool 2×2, then flatten, the hidden dense blocks of
/// <see cref="ModelOptions.Hidden"/>, and a Linear layer to the class logits.
/// </summary>
public sealed class CnnModel : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the network for inputs of shape <paramref name="inputShape"/> (C, H, W).</summary>
    public CnnModel(long[] inputShape, int classCount, ModelOptions options) : base("Cnn")
    {
        if (inputShape.Length != 3)
            throw new Trainer.Recipes.RecipeException("Model:Kind 'cnn' needs image inputs (channels x height x width); this data set has " +
                                                      $"examples of shape [{string.Join(", ", inputShape)}]. Use Model:Kind 'mlp'.");
        var channels = options.Channels ?? [.. ModelOptions.DefaultChannels];
        long c = inputShape[0], h = inputShape[1], w = inputShape[2];
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var i = 0; i < channels.Length; i++)
        {
            if (h < 2 || w < 2)
                throw new Trainer.Recipes.RecipeException($"Model:Channels has {channels.Length} blocks, but a {inputShape[1]}x{inputShape[2]} image only allows {i} poolings; remove blocks.");
            var n = i + 1;
            blocks.Add(($"conv{n}", new Conv2dLayer(c, channels[i], 3, padding: 1, bias: !options.BatchNorm)));
            if (options.BatchNorm) blocks.Add(($"cbn{n}", new BatchNormLayer(channels[i], spatialDimensions: 2)));
            blocks.Add(($"cact{n}", ModelLayers.Activation(options)));
            blocks.Add(($"pool{n}", new MaxPool2x2Layer()));
            c = channels[i]; h /= 2; w /= 2;
        }
        blocks.Add(("flatten", nn.Flatten()));
        var hidden = options.Hidden ?? [.. ModelOptions.DefaultHidden];
        var flat = c * h * w;
        blocks.AddRange(ModelLayers.Dense(flat, hidden, options, ""));
        blocks.Add(("out", nn.Linear(ModelLayers.LastWidth(flat, hidden), classCount)));
        layers = nn.Sequential(blocks.ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
