using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// A data source that can read examples for a trained model to predict on (<c>trainer predict --input</c>,
/// <c>TrainedModel.PredictFiles</c>): one file or a folder, decoded the way the training data was (the package's
/// <c>Data</c> section), with labels where the input has them. Sources without it are read through their
/// <see cref="IDataSource.Load"/> with <c>Data:Path</c> set to the input.
/// </summary>
public interface IPredictionInputSource : IDataSource
{
    /// <summary>Reads the examples at <paramref name="path"/>; throws <see cref="RecipeException"/> naming the file when it cannot.</summary>
    /// <param name="options">The data section the model was trained with.</param>
    /// <param name="path">A file or folder of inputs.</param>
    ExampleInputs ReadInputs(DataOptions options, string path);
}
