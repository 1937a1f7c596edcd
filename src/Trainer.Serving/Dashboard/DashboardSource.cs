using Trainer.Agent.Queue;
using Trainer.Search;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// The runs folder, the study store and the run queue (when given) behind the dashboard API. The store is opened once, on first use, and used by
/// one request at a time (a SQLite store holds one connection); a SQLite file that does not exist is never created.
/// </summary>
internal sealed class DashboardSource : IDisposable
{
    private readonly object gate = new();
    private readonly string? storage;
    private IStudyStore? store;

    public DashboardSource(DashboardOptions options)
    {
        storage = options.Storage ?? DefaultStorage(options.RunsDirectory);
        Queue = options.Queue;
        Runs = new RunIndex(options.RunsDirectory, () => WithStore(s => StudyReader.RunDirectories(s).ToList()) ?? []);
    }

    public RunIndex Runs { get; }

    /// <summary>The run queue, owned by the caller (never disposed here); null when the dashboard has none.</summary>
    public IRunQueue? Queue { get; }

    /// <summary>Runs <paramref name="read"/> on the store; null when there is no store.</summary>
    public T? WithStore<T>(Func<IStudyStore, T> read) where T : class
    {
        if (storage is null) return null;
        lock (gate)
        {
            store ??= SearchRunner.OpenStore(storage);
            return read(store);
        }
    }

    /// <summary>The store named by <c>--storage</c>, checked before the server starts; a message naming the option on failure.</summary>
    public static string? Check(DashboardOptions options)
    {
        var storage = options.Storage;
        if (storage is null) return null;
        if (storage.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = storage["sqlite:".Length..];
            return File.Exists(path) ? null : $"--storage {storage}: there is no study store at '{Path.GetFullPath(path)}'; run 'trainer search' first, or give the file it wrote.";
        }
        if (storage.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase)) return null;
        return $"--storage '{storage}' is not supported; use sqlite:PATH or postgres:CONNECTION.";
    }

    private static string? DefaultStorage(string runsDirectory)
    {
        var path = Path.Combine(runsDirectory, "studies.db");
        return File.Exists(path) ? $"sqlite:{Path.GetFullPath(path)}" : null;
    }

    public void Dispose()
    {
        lock (gate) store?.Dispose();
    }
}
