using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Prediction inputs in IDX files: an images file (<c>*-images-idx3-ubyte[.gz]</c>, with its labels file beside it when
/// there is one), or a folder of the four standard files (then its test images, <c>t10k-*</c>).
/// </summary>
public static class IdxInputs
{
    /// <summary>Reads the images at <paramref name="path"/> as byte pixels [N, 1, rows, columns], ids their indices.</summary>
    public static ExampleInputs Read(string path)
    {
        if (Directory.Exists(path))
        {
            var test = IdxDataSource.LoadPair(path, "t10k");
            return new ExampleInputs(test.Features, Ids(test.Count), test.Labels);
        }
        if (!File.Exists(path)) throw new RecipeException($"Input '{path}' does not exist; give an IDX images file or a folder of IDX files.");
        var (dims, pixels, offset) = IdxFile.Read(path);
        if (dims.Length != 3)
            throw new RecipeException($"Input '{path}' holds {dims.Length} dimensions; IDX images need 3 (count, rows, columns).");
        using var flat = frombuffer(pixels, ScalarType.Byte, (long)dims[0] * dims[1] * dims[2], offset);
        var features = flat.view(dims[0], 1, dims[1], dims[2]).clone();
        Tensor? labels = null;
        var labelsPath = LabelsBeside(path);
        if (labelsPath is not null)
        {
            var (labelDims, labelBytes, labelOffset) = IdxFile.Read(labelsPath);
            if (labelDims.Length == 1 && labelDims[0] == dims[0])
            {
                using var view = frombuffer(labelBytes, ScalarType.Byte, labelDims[0], labelOffset);
                labels = view.to_type(ScalarType.Int64);
            }
        }
        return new ExampleInputs(features, Ids(dims[0]), labels);
    }

    private static string? LabelsBeside(string imagesPath)
    {
        var name = Path.GetFileName(imagesPath);
        foreach (var (images, labels) in new[] { ("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1") })
        {
            if (!name.Contains(images, StringComparison.Ordinal)) continue;
            var candidate = Path.Combine(Path.GetDirectoryName(imagesPath) ?? ".", name.Replace(images, labels, StringComparison.Ordinal));
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static IReadOnlyList<string> Ids(long count) => [.. Enumerable.Range(0, checked((int)count)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
