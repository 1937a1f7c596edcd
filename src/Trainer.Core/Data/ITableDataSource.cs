using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// A data source whose examples are rows of a table encoded with what the training rows show (one-hot categories,
/// imputation means): <see cref="DataPipeline"/> reads the rows, plans the splits (<see cref="SplitPlan"/>), then fits
/// the encoding on the training rows only (<see cref="TableEncoder"/>) and encodes every split with it.
/// </summary>
public interface ITableDataSource : IDataSource
{
    /// <summary>
    /// Reads the table's rows without encoding them; null when <paramref name="options"/> ask for the source's plain
    /// <see cref="IDataSource.Load"/> (e.g. a headerless numeric file). Throws <see cref="RecipeException"/> naming the file.
    /// </summary>
    /// <param name="options">The recipe's data section, with paths already resolved to absolute ones.</param>
    TableRows? ReadTable(DataOptions options);
}
