using TorchSharp;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>Builds the repeated blocks shared by the recipe models.</summary>
internal static class ModelLayers
{
    /// <summary>Hidden dense blocks: Linear → (BatchNorm1d) → activation → (Dropout) per width.</summary>
    public static IEnumerable<(string, nn.Module<Tensor, Tensor>)> Dense(long inputs, IReadOnlyList<int> widths, ModelOptions options, string prefix)
    {
        var previous = inputs;
        for (var i = 0; i < widths.Count; i++)
        {
            var n = i + 1;
            yield return ($"{prefix}fc{n}", nn.Linear(previous, widths[i], hasBias: !options.BatchNorm));
            if (options.BatchNorm) yield return ($"{prefix}bn{n}", new BatchNormLayer(widths[i], spatialDimensions: 1));
            yield return ($"{prefix}act{n}", Activation(options));
            if (options.Dropout > 0) yield return ($"{prefix}drop{n}", nn.Dropout(options.Dropout));
            previous = widths[i];
        }
    }

    /// <summary>The width entering the output layer.</summary>
    public static long LastWidth(long inputs, IReadOnlyList<int> widths) => widths.Count == 0 ? inputs : widths[^1];

    /// <summary>The activation module named by <see cref="ModelOptions.Activation"/>.</summary>
    public static nn.Module<Tensor, Tensor> Activation(ModelOptions options) => options.Activation.ToLowerInvariant() switch
    {
        "relu" => nn.ReLU(),
        "tanh" => nn.Tanh(),
        "sigmoid" => nn.Sigmoid(),
        "leaky-relu" => nn.LeakyReLU(options.LeakySlope),
        var other => throw new ArgumentException($"Model:Activation '{other}' is not supported."),
    };
}
