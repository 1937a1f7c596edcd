using SkiaSharp;

namespace Trainer.Plugins.Tests.ImageFolder;

/// <summary>Writes small test images with SkiaSharp.</summary>
internal static class TestImages
{
    /// <summary>Writes an RGB image whose pixel (x, y) is <paramref name="color"/>(x, y), as PNG or JPEG by the file's extension.</summary>
    public static string Write(string path, int width, int height, Func<int, int, SKColor> color)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, color(x, y));
        Save(bitmap, path);
        return path;
    }

    /// <summary>Writes an image of one colour.</summary>
    public static string Solid(string path, int width, int height, SKColor color) => Write(path, width, height, (_, _) => color);

    /// <summary>Writes an 8-bit grayscale PNG whose pixel (x, y) is <paramref name="value"/>(x, y).</summary>
    public static string Gray(string path, int width, int height, Func<int, int, byte> value)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                pixels[y * bitmap.RowBytes + x] = value(x, y);
        Save(bitmap, path);
        return path;
    }

    /// <summary>Writes a 24-bit BMP by hand (SkiaSharp encodes no BMP): rows bottom-up, BGR, each padded to 4 bytes.</summary>
    public static string Bmp(string path, int width, int height, Func<int, int, SKColor> color)
    {
        var rowBytes = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + rowBytes * height];
        void Int(int at, int value) => BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), value);
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        Int(2, bytes.Length);
        Int(10, 54);
        Int(14, 40);
        Int(18, width);
        Int(22, height);
        bytes[26] = 1; // planes
        bytes[28] = 24; // bits per pixel
        Int(34, rowBytes * height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var c = color(x, y);
                var at = 54 + (height - 1 - y) * rowBytes + 3 * x;
                (bytes[at], bytes[at + 1], bytes[at + 2]) = (c.Blue, c.Green, c.Red);
            }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void Save(SKBitmap bitmap, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => SKEncodedImageFormat.Jpeg,
            ".webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Png,
        };
        using var data = bitmap.Encode(format, 90);
        File.WriteAllBytes(path, data.ToArray());
    }
}
