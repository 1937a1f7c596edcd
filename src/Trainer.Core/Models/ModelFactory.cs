using TorchSharp;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>Builds the recipe's model and initialises its weights.</summary>
public static class ModelFactory
{
    /// <summary>
    /// Creates the model for the given input shape and class count, on the CPU: <paramref name="custom"/>'s (a plugin's,
    /// named by <see cref="ModelOptions.Type"/>) when given, else the one named by <see cref="ModelOptions.Kind"/>.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create(ModelOptions options, long[] inputShape, int classCount, IModelFactory? custom = null)
    {
        nn.Module<Tensor, Tensor> model = custom is not null
            ? custom.Create(new ModelContext(inputShape, classCount, options))
                ?? throw new InvalidOperationException($"The model factory {custom.GetType().FullName} returned no model.")
            : options.Kind.ToLowerInvariant() switch
        {
            "mlp" => new MlpModel(inputShape.Aggregate(1L, (a, b) => a * b), classCount, options),
            "cnn" => new CnnModel(inputShape, classCount, options),
            var other => throw new RecipeException($"Model:Kind '{other}' is not supported; use one of: {string.Join(", ", RecipeValidator.ModelKinds)}."),
        };
        WeightInitializer.Apply(model, options.Init);
        return model;
    }
}
