using System.Collections.Concurrent;
using System.Text;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// The dashboard's reads of run files: each file is read again only when its size or time changed, no read takes more
/// than <see cref="MaxBytes"/> (a longer file is read from its header and its last <see cref="MaxBytes"/> bytes), and
/// nothing is read through a symbolic link, so a link in a run folder cannot serve a file from elsewhere.
/// </summary>
internal sealed class RunFileCache : Trainer.Runs.IRunFileSource
{
    /// <summary>The most bytes one file read takes.</summary>
    public const long MaxBytes = 8L << 20;

    private readonly ConcurrentDictionary<string, (long Length, DateTime Written, object? Value)> entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The parsed content of <paramref name="path"/> (its text, bounded as above), parsed again only when the file
    /// changed; null when it is missing, a link, unreadable, or <paramref name="parse"/> rejects it.
    /// </summary>
    public T? Read<T>(string path, Func<string, T> parse) where T : class
    {
        FileInfo file;
        try
        {
            file = new FileInfo(path);
            if (!file.Exists || file.LinkTarget is not null) return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
        var (length, written) = (file.Length, file.LastWriteTimeUtc);
        if (entries.TryGetValue(path, out var cached) && cached.Length == length && cached.Written == written) return cached.Value as T;
        T? value;
        try
        {
            value = parse(Text(path, length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException or FormatException)
        {
            value = null;
        }
        entries[path] = (length, written, value);
        return value;
    }

    /// <summary>The file's text; past <see cref="MaxBytes"/>, its first line and the whole lines of its last <see cref="MaxBytes"/> bytes.</summary>
    private static string Text(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        if (length <= MaxBytes) return reader.ReadToEnd();
        var header = reader.ReadLine() ?? "";
        stream.Seek(length - MaxBytes, SeekOrigin.Begin);
        reader.DiscardBufferedData();
        var tail = reader.ReadToEnd();
        var firstBreak = tail.IndexOf('\n', StringComparison.Ordinal); // the first line is cut in the middle
        return header + "\n" + (firstBreak < 0 ? "" : tail[(firstBreak + 1)..]);
    }
}
