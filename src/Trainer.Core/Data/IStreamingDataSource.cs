using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// A data source that can also read its examples one at a time from storage, so a data set larger than memory trains
/// on the streaming path. Its <see cref="IDataSource.Load"/> must give the same examples, in the same order, as
/// <see cref="Open"/> (both paths give the same batches for the same seed).
/// </summary>
public interface IStreamingDataSource : IDataSource
{
    /// <summary>Opens the examples without reading their features; throws <see cref="RecipeException"/> naming a missing file.</summary>
    /// <param name="options">The recipe's data section, with paths already resolved to absolute ones.</param>
    StreamedData Open(DataOptions options);

    /// <summary>
    /// Why these particular files cannot be streamed (e.g. they are compressed), in words that say how to fix it; null when
    /// <see cref="Open"/> can read them. <c>Data:Loading</c> auto then loads them into memory; stream refuses with this reason.
    /// </summary>
    /// <param name="options">The recipe's data section, with paths already resolved to absolute ones.</param>
    string? CannotStream(DataOptions options) => null;
}
