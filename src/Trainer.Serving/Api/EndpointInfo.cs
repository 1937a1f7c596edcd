using System.Text.Json;

namespace Trainer.Serving.Api;

/// <summary>
/// <c>RUN_DIR/endpoint.json</c>: where a serving run listens, so tools (<c>trainer ctl</c>) find it. Marked ended
/// (<see cref="Ended"/>, <see cref="Status"/>) when the run's host stops.
/// </summary>
public sealed record EndpointInfo
{
    /// <summary>The file's name in the run directory.</summary>
    public const string FileName = Trainer.Runs.RunFiles.Endpoint;

    /// <summary>The URL to reach the API at (a wildcard host is written as 127.0.0.1).</summary>
    public required string Url { get; init; }

    /// <summary>Every address the server listens on.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>The serving process's id.</summary>
    public int Pid { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>Whether requests need <c>Authorization: Bearer TOKEN</c>.</summary>
    public bool TokenRequired { get; init; }

    /// <summary>When serving started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>True once the run has ended and the server stopped.</summary>
    public bool Ended { get; init; }

    /// <summary>When it ended (UTC); null while serving.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The run's final status once it ended; null while serving.</summary>
    public string? Status { get; init; }

    /// <summary>Reads <c>endpoint.json</c> from <paramref name="runDirectory"/>; null when there is none.</summary>
    public static EndpointInfo? Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<EndpointInfo>(File.ReadAllText(path), ServeJson.Options) : null;
    }

    /// <summary>Writes this to <paramref name="runDirectory"/> (to a temporary file, then renamed).</summary>
    public void Write(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, ServeJson.Indented));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
