using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// Loads one kind of data set (<c>Data:Source</c>) into tensors on the CPU: float32 features, or byte pixels (0–255),
/// which <see cref="DataPipeline"/> scales to float32 in [0, 1] after splitting; Int64 labels.
/// </summary>
public interface IDataSource
{
    /// <summary>The <c>Data:Source</c> value this source answers to.</summary>
    string Name { get; }

    /// <summary>Loads the data; throws <see cref="RecipeException"/> naming the file when it is missing or corrupt.</summary>
    /// <param name="options">The recipe's data section, with paths already resolved to absolute ones.</param>
    RawData Load(DataOptions options);
}
