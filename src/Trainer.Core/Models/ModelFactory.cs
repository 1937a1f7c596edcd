using TorchSharp;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>Builds the recipe's model and initialises its weights.</summary>
public static class ModelFactory
{
    /// <summary>Creates the model named by <see cref="ModelOptions.Kind"/> for the given input shape and class count, on the CPU.</summary>
    public static nn.Module<Tensor, Tensor> Create(ModelOptions options, long[] inputShape, int classCount)
    {
        nn.Module<Tensor, Tensor> model = options.Kind.ToLowerInvariant() switch
        {
            "mlp" => new MlpModel(inputShape.Aggregate(1L, (a, b) => a * b), classCount, options),
            "cnn" => new CnnModel(inputShape, classCount, options),
            var other => throw new RecipeException($"Model:Kind '{other}' is not supported; use one of: {string.Join(", ", RecipeValidator.ModelKinds)}."),
        };
        WeightInitializer.Apply(model, options.Init);
        return model;
    }
}
