using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Plugins.ImageFolder;

/// <summary>
/// The images of one split of an image folder, decoded one at a time when the streaming data path asks (from several
/// threads at once: each call decodes its own file).
/// </summary>
internal sealed class ImageFolderStore : ExampleStore
{
    private readonly IReadOnlyList<ImageFile> files;
    private readonly ImageFormat format;
    private readonly int width;
    private readonly int height;
    private readonly Tensor labels;

    public ImageFolderStore(IReadOnlyList<ImageFile> files, IReadOnlyList<string> classNames, ImageFormat format, int width, int height)
    {
        this.files = files;
        this.format = format;
        this.width = width;
        this.height = height;
        ClassNames = classNames;
        labels = tensor(files.Select(f => (long)f.Label).ToArray(), ScalarType.Int64);
    }

    /// <inheritdoc />
    public override long Count => files.Count;

    /// <inheritdoc />
    public override long[] FeatureShape => [format.Channels, height, width];

    /// <inheritdoc />
    public override ScalarType FeatureType => ScalarType.Byte;

    /// <inheritdoc />
    public override Tensor Labels => labels;

    /// <inheritdoc />
    public override int ClassCount => ClassNames.Count;

    /// <inheritdoc />
    public override IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public override void ReadFeatures(long index, Span<byte> destination)
    {
        var file = files[(int)index];
        var result = ImageDecoder.Decode(file.Path, format, width, height, destination);
        if (!result.Succeeded) throw new RecipeException(ImageFolderDataSource.Problem(file.Path, result));
    }

    /// <inheritdoc />
    public override string Describe(long index) => files[(int)index].Path;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) labels.Dispose();
        base.Dispose(disposing);
    }
}
