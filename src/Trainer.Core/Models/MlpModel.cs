using TorchSharp;
using TorchSharp.Modules;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>
/// A fully connected classifier: flatten, then per hidden layer Linear → (BatchNorm) → activation → (Dropout),
/// then a Linear layer to the class logits. Layer names: fc1, bn1, act1, drop1, …, out.
/// </summary>
public sealed class MlpModel : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the network for inputs of <paramref name="inputFeatures"/> values and <paramref name="classCount"/> classes.</summary>
    public MlpModel(long inputFeatures, int classCount, ModelOptions options) : base("Mlp")
    {
        layers = nn.Sequential(ModelLayers.Dense(inputFeatures, options.Hidden ?? [.. ModelOptions.DefaultHidden], options, "")
            .Prepend(("flatten", (nn.Module<Tensor, Tensor>)nn.Flatten()))
            .Append(("out", nn.Linear(ModelLayers.LastWidth(inputFeatures, options.Hidden ?? [.. ModelOptions.DefaultHidden]), classCount)))
            .ToArray());
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
