namespace Trainer.Data;

/// <summary>One file of a downloadable data set, with the exact size and SHA-256 a download must have to be kept.</summary>
/// <param name="Name">The file name, appended to the base URL and used as the name on disk.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, as 64 hexadecimal digits.</param>
public sealed record DownloadFile(string Name, long Size, string Sha256);
