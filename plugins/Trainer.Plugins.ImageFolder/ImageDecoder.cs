using System.Buffers;
using SkiaSharp;

namespace Trainer.Plugins.ImageFolder;

/// <summary>
/// Decodes one image file with SkiaSharp into bytes laid out channels × height × width: RGB, or grayscale
/// Y = round(0.299 R + 0.587 G + 0.114 B) (computed exactly as (299 R + 587 G + 114 B + 500) / 1000 in integers, so a gray
/// pixel keeps its value), transparency dropped. Resizing is bilinear. Safe to call from several threads at once.
/// </summary>
internal static class ImageDecoder
{
    private static readonly SKSamplingOptions Bilinear = new(SKFilterMode.Linear, SKMipmapMode.None);

    /// <summary>The size the image's header states, or null with <paramref name="problem"/> when it cannot be read.</summary>
    public static (int Width, int Height)? ReadSize(string path, out string? problem)
    {
        try
        {
            using var codec = SKCodec.Create(path, out var result);
            problem = codec is null ? Unreadable(result) : null;
            return codec is null ? null : (codec.Info.Width, codec.Info.Height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>
    /// The output size of an image of <paramref name="width"/> × <paramref name="height"/> pixels: the square of
    /// <see cref="ImageFormat.Size"/>, or the image's own size.
    /// </summary>
    public static (int Width, int Height) OutputSize(ImageFormat format, int width, int height) =>
        format.Size is { } size ? (size, size) : (width, height);

    /// <summary>
    /// Decodes <paramref name="path"/> into <paramref name="destination"/> (channels × <paramref name="height"/> ×
    /// <paramref name="width"/> bytes). Without <see cref="ImageFormat.Size"/>, an image of another size than
    /// <paramref name="width"/> × <paramref name="height"/> is a problem, not resized.
    /// </summary>
    public static DecodeResult Decode(string path, ImageFormat format, int width, int height, Span<byte> destination)
    {
        SKBitmap? decoded = null;
        byte[]? file = null;
        try
        {
            // The whole file read in one call, then decoded from memory: SKCodec.Create(path) reads through a file stream
            // in small pieces, which made decoding a small PNG take 46 µs instead of 28 µs (open and read are half of that).
            var length = ReadFile(path, out file);
            if (length == 0) return new DecodeResult("the file is empty", true);
            using var data = SKData.CreateCopy(file.AsSpan(0, length));
            using var stream = new SKMemoryStream(data); // the codec takes it over once created
            using (var codec = SKCodec.Create(stream, out var created))
            {
                if (codec is null) return new DecodeResult(Unreadable(created), true);
                var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
                decoded = new SKBitmap(info);
                var result = codec.GetPixels(info, decoded.GetPixels());
                if (result != SKCodecResult.Success) return new DecodeResult(Unreadable(result), true);
            }
            if (format.Size is null && (decoded.Width != width || decoded.Height != height))
                return new DecodeResult($"it is {decoded.Width} x {decoded.Height} pixels where the first image is {width} x {height}", false);
            Write(decoded, format, width, height, destination);
            return DecodeResult.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DecodeResult(e.Message, true);
        }
        finally
        {
            decoded?.Dispose();
            if (file is not null) ArrayPool<byte>.Shared.Return(file);
        }
    }

    // The file's bytes in a rented buffer (returned by the caller); the count read.
    private static int ReadFile(string path, out byte[] buffer)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength) throw new IOException($"it is {length} bytes, larger than an image can be here");
        buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
            if (n == 0) break; // the file shrank while being read: decode what there is, which the codec reports as truncated
            read += n;
        }
        return read;
    }

    private static void Write(SKBitmap image, ImageFormat format, int width, int height, Span<byte> destination)
    {
        // Stretch: scale to the output size. Crop (torchvision's Resize(size) + CenterCrop(size)): the shorter side becomes
        // the size, the longer one int(size * long / short), then the centre square is cut at round((scaled - size) / 2).
        var (scaledWidth, scaledHeight) = (width, height);
        if (format.Crop && image.Width != image.Height)
        {
            var size = format.Size!.Value;
            (scaledWidth, scaledHeight) = image.Width < image.Height
                ? (size, (int)((long)size * image.Height / image.Width))
                : ((int)((long)size * image.Width / image.Height), size);
        }
        SKBitmap? scaled = null;
        try
        {
            var source = image;
            if (scaledWidth != image.Width || scaledHeight != image.Height)
            {
                scaled = new SKBitmap(new SKImageInfo(scaledWidth, scaledHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                if (!image.ScalePixels(scaled, Bilinear)) throw new InvalidOperationException($"SkiaSharp could not scale an image to {scaledWidth} x {scaledHeight}.");
                source = scaled;
            }
            var top = (int)Math.Round((scaledHeight - height) / 2.0, MidpointRounding.ToEven); // Python's round, as torchvision
            var left = (int)Math.Round((scaledWidth - width) / 2.0, MidpointRounding.ToEven);
            Copy(source, left, top, width, height, format.Channels, destination);
        }
        finally
        {
            scaled?.Dispose();
        }
    }

    private static void Copy(SKBitmap source, int left, int top, int width, int height, int channels, Span<byte> destination)
    {
        ReadOnlySpan<byte> pixels = source.GetPixelSpan();
        var rowBytes = source.RowBytes;
        var plane = width * height;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice((top + y) * rowBytes + left * 4, width * 4);
            var at = y * width;
            for (var x = 0; x < width; x++)
            {
                int r = row[4 * x], g = row[4 * x + 1], b = row[4 * x + 2];
                if (channels == 1)
                {
                    destination[at + x] = (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
                }
                else
                {
                    destination[at + x] = (byte)r;
                    destination[plane + at + x] = (byte)g;
                    destination[2 * plane + at + x] = (byte)b;
                }
            }
        }
    }

    private static string Unreadable(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "the image data is truncated or damaged",
        SKCodecResult.Unimplemented => "it is not a PNG, JPEG, BMP or WebP image, or uses an encoding SkiaSharp cannot decode",
        _ => "it is not a PNG, JPEG, BMP or WebP image, or it is damaged",
    };
}
