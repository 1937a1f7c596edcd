using Trainer.Recipes;

namespace Trainer.Plugins.ImageFolder;

/// <summary>What every decoded image becomes: its channels, its square size (or its own size) and how it is resized.</summary>
/// <param name="Channels">1 (grayscale) or 3 (RGB).</param>
/// <param name="Size">The side of the square output, or null to keep the images' own size.</param>
/// <param name="Crop">Scale the shorter side to <paramref name="Size"/> and cut the centre square, instead of stretching.</param>
/// <param name="SkipUnreadable">Leave unreadable files out instead of failing.</param>
internal sealed record ImageFormat(int Channels, int? Size, bool Crop, bool SkipUnreadable)
{
    /// <summary>The format the recipe's data section asks for; throws <see cref="RecipeException"/> listing every bad value.</summary>
    public static ImageFormat From(DataOptions options)
    {
        var errors = new List<string>();
        if (options.Channels is not (1 or 3)) errors.Add($"Data:Channels must be 1 (grayscale) or 3 (RGB) (got {options.Channels}).");
        if (options.ImageSize is < 1) errors.Add($"Data:ImageSize must be at least 1 pixel (got {options.ImageSize}); leave it out to keep the images' own size.");
        var resize = options.Resize.ToLowerInvariant();
        if (resize is not ("stretch" or "crop")) errors.Add($"Data:Resize '{options.Resize}' is not supported; use one of: stretch, crop.");
        var unreadable = options.OnUnreadable.ToLowerInvariant();
        if (unreadable is not ("error" or "skip")) errors.Add($"Data:OnUnreadable '{options.OnUnreadable}' is not supported; use one of: error, skip.");
        if (errors.Count > 0) throw new RecipeException(errors);
        return new ImageFormat(options.Channels, options.ImageSize, resize == "crop", unreadable == "skip");
    }
}
