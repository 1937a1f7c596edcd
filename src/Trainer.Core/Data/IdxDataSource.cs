using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Source = "idx"</c>: a folder with the four standard MNIST-style files
/// (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
/// <c>t10k-labels-idx1-ubyte</c>, each optionally <c>.gz</c>). Pixels are scaled to [0, 1].
/// </summary>
public sealed class IdxDataSource : IDataSource
{
    /// <inheritdoc />
    public string Name => "idx";

    /// <inheritdoc />
    public RawData Load(DataOptions options)
    {
        var folder = options.Path ?? throw new RecipeException("Data:Path is required for the idx source.");
        if (!Directory.Exists(folder))
            throw new RecipeException($"Data:Path folder '{folder}' does not exist; point it at the folder holding the IDX files.");
        var train = LoadPair(folder, "train");
        var test = LoadPair(folder, "t10k");
        return new RawData(train, test);
    }

    /// <summary>Loads one images/labels pair, e.g. prefix "train" or "t10k".</summary>
    public static Dataset LoadPair(string folder, string prefix)
    {
        var imagesPath = Find(folder, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var (imageDims, pixels, pixelOffset) = IdxFile.Read(imagesPath);
        var (labelDims, labelBytes, labelOffset) = IdxFile.Read(labelsPath);
        if (imageDims.Length != 3)
            throw new RecipeException($"Data file '{imagesPath}' holds {imageDims.Length} dimensions; images need 3 (count, rows, columns).");
        if (labelDims.Length != 1)
            throw new RecipeException($"Data file '{labelsPath}' holds {labelDims.Length} dimensions; labels need 1.");
        if (labelDims[0] != imageDims[0])
            throw new RecipeException($"Data files '{imagesPath}' and '{labelsPath}' disagree: {imageDims[0]} images but {labelDims[0]} labels.");

        var classCount = labelBytes.AsSpan(labelOffset).ToArray().Max() + 1;
        // The pixels stay the decompressed file's bytes (no copy): DataPipeline scales each split to float32 after
        // splitting, so the whole set never exists as float32 twice.
        var count = (long)imageDims[0] * imageDims[1] * imageDims[2];
        using var flat = frombuffer(pixels, ScalarType.Byte, count, pixelOffset);
        var features = flat.view(imageDims[0], 1, imageDims[1], imageDims[2]);
        using var labelView = frombuffer(labelBytes, ScalarType.Byte, labelDims[0], labelOffset);
        var labels = labelView.to_type(ScalarType.Int64);
        return new Dataset(features, labels, classCount);
    }

    private static string Find(string folder, string stem)
    {
        foreach (var name in new[] { stem, stem + ".gz", stem.Replace("-idx", ".idx", StringComparison.Ordinal), stem.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        throw new RecipeException($"Data file '{Path.Combine(folder, stem)}[.gz]' does not exist; Data:Path must hold the four IDX files.");
    }
}
