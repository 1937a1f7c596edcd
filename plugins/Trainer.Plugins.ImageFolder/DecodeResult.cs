namespace Trainer.Plugins.ImageFolder;

/// <summary>How decoding one image went.</summary>
/// <param name="Problem">Null when the pixels were written; else what is wrong with the file.</param>
/// <param name="Unreadable">True when the file could not be decoded (as opposed to decoded at a size that differs from the others).</param>
internal readonly record struct DecodeResult(string? Problem, bool Unreadable)
{
    /// <summary>The pixels were written.</summary>
    public static DecodeResult Ok => default;

    /// <summary>True when the pixels were written.</summary>
    public bool Succeeded => Problem is null;
}
