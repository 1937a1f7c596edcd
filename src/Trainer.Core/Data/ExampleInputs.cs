using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Examples to predict or evaluate, as a data source reads them from a file or folder: features as the source delivers
/// them (byte pixels 0–255 or float32), an id per example (a file name, a row number), and labels when the input has them.
/// </summary>
/// <param name="Features">The examples' features on the CPU, first dimension the example.</param>
/// <param name="Ids">One id per example, for the predictions' rows.</param>
/// <param name="Labels">The known targets (class indices, or values), or null when the input has none.</param>
public sealed record ExampleInputs(Tensor Features, IReadOnlyList<string> Ids, Tensor? Labels) : IDisposable
{
    /// <summary>The labels' class names, in index order, when the input names its classes (an image folder's subfolders).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The number of examples.</summary>
    public long Count => Features.size(0);

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Labels?.Dispose();
    }
}
