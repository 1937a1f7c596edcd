using System.IO.Compression;
using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Source = "digits"</c>: the embedded UCI Optical Recognition of Handwritten Digits set (E. Alpaydin and
/// C. Kaynak, 1998; CC BY 4.0): 1,797 images of 8x8 pixels with values 0..16, scaled to [0, 1], ten classes.
/// It has no test split of its own, so <c>Data:TestFraction</c> of it is held out.
/// </summary>
public sealed class DigitsDataSource : IDataSource
{
    /// <summary>The manifest name of the embedded resource.</summary>
    public const string ResourceName = "Trainer.Data.digits.csv.gz";

    /// <inheritdoc />
    public string Name => "digits";

    /// <inheritdoc />
    public RawData Load(DataOptions options)
    {
        using var stream = typeof(DigitsDataSource).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from Trainer.Core.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var data = NumericCsv.Read(reader, "digits.csv.gz (embedded)", [1, 8, 8]);
        data.Features.div_(16f);
        return new RawData(data, null);
    }
}
