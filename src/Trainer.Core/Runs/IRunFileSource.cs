namespace Trainer.Runs;

/// <summary>How <see cref="RunRecord"/> gets at a run's files: straight from disk, or through a cache (the dashboard's).</summary>
public interface IRunFileSource
{
    /// <summary>
    /// The file at <paramref name="path"/> parsed by <paramref name="parse"/>; null when it does not exist. A file that
    /// exists but cannot be read or parsed throws (<see cref="IOException"/>, <see cref="InvalidDataException"/>,
    /// <see cref="System.Text.Json.JsonException"/>, …).
    /// </summary>
    T? Read<T>(string path, Func<string, T> parse) where T : class;
}
