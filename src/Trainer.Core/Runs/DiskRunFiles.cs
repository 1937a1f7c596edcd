namespace Trainer.Runs;

/// <summary>Reads run files straight from disk, whole, sharing them with a run that is still writing them.</summary>
public sealed class DiskRunFiles : IRunFileSource
{
    /// <summary>The one instance.</summary>
    public static DiskRunFiles Instance { get; } = new();

    private DiskRunFiles() { }

    /// <inheritdoc />
    public T? Read<T>(string path, Func<string, T> parse) where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (!File.Exists(path)) return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return parse(reader.ReadToEnd());
    }
}
