using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Plugins.ImageFolder;

/// <summary>
/// <c>Data:Source</c> <c>image-folder</c>: images in torchvision's ImageFolder convention under <c>Data:Path</c>,
/// <c>root/&lt;class&gt;/&lt;file&gt;</c> (PNG, JPEG, BMP, WebP; classes are the folder names in ordinal order, files in
/// ordinal order within a class). When <c>root</c> has a <c>train/</c> folder, its classes are the classes, and
/// <c>val/</c> (used instead of <c>Data:ValidationFraction</c>) and <c>test/</c> (instead of <c>Data:TestFraction</c>) are
/// used when present; a class folder in <c>val/</c> or <c>test/</c> that <c>train/</c> lacks is an error. Otherwise all images
/// are training data and the pipeline holds out its seeded fractions. Each image is decoded with SkiaSharp to
/// <c>Data:Channels</c> (3: RGB, 1: grayscale) and, with <c>Data:ImageSize</c>, stretched or centre-cropped
/// (<c>Data:Resize</c>) to a square; pixels stay bytes 0–255, laid out [C, H, W]. <see cref="Load"/> decodes in parallel;
/// <see cref="Open"/> decodes one file per request and gives the same examples in the same order.
/// </summary>
[DataSourceName("image-folder")]
public sealed class ImageFolderDataSource : IStreamingDataSource, IPredictionInputSource
{
    private const int MaxListed = 10;

    /// <inheritdoc />
    public string Name => "image-folder";

    /// <inheritdoc />
    /// <exception cref="RecipeException">
    /// The folder is missing or has no class folders, a class only in <c>val/</c> or <c>test/</c>, an image cannot be decoded
    /// (with <c>Data:OnUnreadable</c> error: one line per file), or, without <c>Data:ImageSize</c>, an image's size differs
    /// from the first one's.
    /// </exception>
    public RawData Load(DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = ImageFormat.From(options);
        var layout = ImageFolderLayout.Scan(options.Path);
        var (width, height) = OutputSize(layout, format);
        var skipped = new List<(ImageFile File, string Problem)>();
        Dataset? train = null, validation = null, test = null;
        try
        {
            train = Decoded(layout.Train, layout.Classes, format, width, height, skipped);
            if (train.Count == 0) throw new RecipeException($"Data:Path '{options.Path}': no training image could be read; see the files skipped.");
            if (layout.Validation is { Count: > 0 } v) validation = Decoded(v, layout.Classes, format, width, height, skipped);
            if (layout.Test is { Count: > 0 } t) test = Decoded(t, layout.Classes, format, width, height, skipped);
            return new RawData(train, test) { Validation = validation, Notes = Notes(skipped, layout) };
        }
        catch
        {
            train?.Dispose();
            validation?.Dispose();
            test?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// With <c>Data:OnUnreadable</c> error nothing is decoded here: an unreadable image (or one of another size, without
    /// <c>Data:ImageSize</c>) fails the run when it is read, naming the file. With skip, every image is decoded once here to
    /// find the unreadable ones, so both data paths leave out the same files.
    /// </remarks>
    public StreamedData Open(DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = ImageFormat.From(options);
        var layout = ImageFolderLayout.Scan(options.Path);
        var (width, height) = OutputSize(layout, format);
        var skipped = new List<(ImageFile File, string Problem)>();
        IReadOnlyList<ImageFile> Readable(IReadOnlyList<ImageFile> files)
        {
            if (!format.SkipUnreadable) return files;
            var results = DecodeAll(files, format, width, height, null);
            return Kept(files, results, format, skipped);
        }

        var trainFiles = Readable(layout.Train);
        if (trainFiles.Count == 0) throw new RecipeException($"Data:Path '{options.Path}': no training image could be read; see the files skipped.");
        var validationFiles = layout.Validation is { Count: > 0 } v ? Readable(v) : null;
        var testFiles = layout.Test is { Count: > 0 } t ? Readable(t) : null;
        var train = new ImageFolderStore(trainFiles, layout.Classes, format, width, height);
        return new StreamedData(train, testFiles is null ? null : new ImageFolderStore(testFiles, layout.Classes, format, width, height))
        {
            Validation = validationFiles is null ? null : new ImageFolderStore(validationFiles, layout.Classes, format, width, height),
            Notes = Notes(skipped, layout),
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="path"/> is one image; a folder of images (ids: their file names, no labels); a folder of class folders
    /// (labelled by folder name); or a folder with <c>test/</c> (its images, labelled). Images are decoded as the training
    /// images were (<c>Data:Channels</c>, <c>Data:ImageSize</c>, <c>Data:Resize</c>, <c>Data:OnUnreadable</c>).
    /// </remarks>
    public ExampleInputs ReadInputs(DataOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = ImageFormat.From(options);
        IReadOnlyList<ImageFile> files;
        IReadOnlyList<string> classes;
        var labelled = true;
        string root;
        if (File.Exists(path))
        {
            if (!ImageFolderLayout.IsImage(path))
                throw new RecipeException($"Input '{path}' is not an image ({string.Join(", ", ImageFolderLayout.Extensions)}).");
            (files, classes, labelled, root) = ([new ImageFile(Path.GetFullPath(path), 0)], ["?"], false, Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        else if (!Directory.Exists(path))
        {
            throw new RecipeException($"Input '{path}' does not exist; give an image, a folder of images or a folder of class folders.");
        }
        else if (Directory.EnumerateFiles(path).Any(ImageFolderLayout.IsImage))
        {
            files = [.. Directory.EnumerateFiles(path).Where(ImageFolderLayout.IsImage).Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal).Select(f => new ImageFile(Path.GetFullPath(f), 0))];
            (classes, labelled, root) = (["?"], false, Path.GetFullPath(path));
        }
        else
        {
            var layout = ImageFolderLayout.Scan(path);
            (files, classes, root) = (layout.Test ?? layout.Train, layout.Classes, Path.GetFullPath(path));
        }
        var (width, height) = format.Size is { } size ? (size, size) : OutputSize(new ImageFolderLayout(classes, files, null, null), format);
        var skipped = new List<(ImageFile File, string Problem)>();
        var data = Decoded(files, classes, format, width, height, skipped);
        var left = skipped.Select(s => s.File.Path).ToHashSet(StringComparer.Ordinal);
        var ids = files.Where(f => !left.Contains(f.Path)).Select(f => Path.GetRelativePath(root, f.Path).Replace('\\', '/')).ToList();
        if (!labelled)
        {
            data.Labels.Dispose();
            return new ExampleInputs(data.Features, ids, null);
        }
        return new ExampleInputs(data.Features, ids, data.Labels) { ClassNames = classes };
    }

    /// <summary>The one-line message for an image that failed to decode.</summary>
    internal static string Problem(string path, DecodeResult result) => result.Unreadable
        ? $"Data:Path: image file '{path}' cannot be read: {result.Problem}; replace or delete it, or set Data:OnUnreadable to skip."
        : $"Data:Path: image file '{path}' has another size: {result.Problem}; set Data:ImageSize to resize every image to one square size.";

    /// <summary>The output size: <c>Data:ImageSize</c> squared, or the first readable image's own size.</summary>
    private static (int Width, int Height) OutputSize(ImageFolderLayout layout, ImageFormat format)
    {
        if (format.Size is { } size) return (size, size);
        foreach (var file in layout.All)
        {
            if (ImageDecoder.ReadSize(file.Path, out var problem) is { } found) return found;
            if (!format.SkipUnreadable) throw new RecipeException(Problem(file.Path, new DecodeResult(problem, true)));
        }
        throw new RecipeException("Data:Path: no image of the folder could be read; check that its files are PNG, JPEG, BMP or WebP images.");
    }

    private static Dataset Decoded(IReadOnlyList<ImageFile> files, IReadOnlyList<string> classes, ImageFormat format, int width, int height,
        List<(ImageFile File, string Problem)> skipped)
    {
        var length = (long)format.Channels * height * width;
        if (length * files.Count > Array.MaxLength)
            throw new RecipeException($"Data:Path: {files.Count} images of {format.Channels} x {height} x {width} bytes are more than the in-memory data path " +
                                      "holds; use a smaller Data:ImageSize or fewer images.");
        var pixels = new byte[length * files.Count];
        var results = DecodeAll(files, format, width, height, pixels);
        var kept = Kept(files, results, format, skipped);
        if (kept.Count < files.Count)
        {
            // Move the decoded images down over the skipped ones, keeping their order.
            var next = 0L;
            for (var i = 0; i < files.Count; i++)
            {
                if (!results[i].Succeeded) continue;
                if (next != i) Array.Copy(pixels, i * length, pixels, next * length, length);
                next++;
            }
        }
        var features = tensor(kept.Count == files.Count ? pixels : pixels[..(int)(length * kept.Count)], [kept.Count, format.Channels, height, width]);
        var labels = tensor(kept.Select(f => (long)f.Label).ToArray(), ScalarType.Int64);
        return new Dataset(features, labels, classes.Count) { ClassNames = classes };
    }

    /// <summary>
    /// Decodes every file in parallel, into <paramref name="pixels"/> (N × C × H × W bytes) when given, else into a scratch
    /// buffer per thread (to find the unreadable files).
    /// </summary>
    private static DecodeResult[] DecodeAll(IReadOnlyList<ImageFile> files, ImageFormat format, int width, int height, byte[]? pixels)
    {
        var results = new DecodeResult[files.Count];
        var length = format.Channels * height * width;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        if (pixels is not null)
        {
            Parallel.For(0, files.Count, parallel, i =>
                results[i] = ImageDecoder.Decode(files[i].Path, format, width, height, pixels.AsSpan((int)((long)i * length), length)));
        }
        else
        {
            Parallel.For(0, files.Count, parallel, () => new byte[length], (i, _, buffer) =>
            {
                results[i] = ImageDecoder.Decode(files[i].Path, format, width, height, buffer);
                return buffer;
            }, _ => { });
        }
        return results;
    }

    /// <summary>
    /// The files that decoded; throws for an image of another size, and for unreadable ones unless they are skipped (then
    /// they are added to <paramref name="skipped"/>).
    /// </summary>
    private static List<ImageFile> Kept(IReadOnlyList<ImageFile> files, DecodeResult[] results, ImageFormat format, List<(ImageFile File, string Problem)> skipped)
    {
        var kept = new List<ImageFile>(files.Count);
        var unreadable = new List<string>();
        var unreadableCount = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var result = results[i];
            if (result.Succeeded)
            {
                kept.Add(files[i]);
                continue;
            }
            if (!result.Unreadable) throw new RecipeException(Problem(files[i].Path, result));
            if (format.SkipUnreadable)
            {
                skipped.Add((files[i], result.Problem!));
                continue;
            }
            if (++unreadableCount <= MaxListed) unreadable.Add(Problem(files[i].Path, result));
        }
        if (unreadableCount > MaxListed) unreadable.Add($"Data:Path: {unreadableCount - MaxListed} more image files cannot be read.");
        if (unreadable.Count > 0) throw new RecipeException(unreadable);
        return kept;
    }

    private static List<string> Notes(List<(ImageFile File, string Problem)> skipped, ImageFolderLayout layout)
    {
        if (skipped.Count == 0) return [];
        var total = layout.All.Count();
        var listed = string.Join("; ", skipped.Take(MaxListed).Select(s => $"'{s.File.Path}' ({s.Problem})"));
        var more = skipped.Count > MaxListed ? $"; and {skipped.Count - MaxListed} more" : "";
        return [$"image-folder skipped {skipped.Count} unreadable image files of {total} (Data:OnUnreadable skip): {listed}{more}."];
    }
}
