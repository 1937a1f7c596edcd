using Trainer.Agent.Queue;

namespace Trainer.Serving.Dashboard;

/// <summary>What <c>trainer dashboard</c> serves and where.</summary>
public sealed class DashboardOptions
{
    /// <summary>The folder holding run directories (searched down to six levels, so study trials and experiment variants count). Default: runs.</summary>
    public string RunsDirectory { get; init; } = "runs";

    /// <summary>The study store, <c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>; null for <c>RUNS/studies.db</c> when that file exists, else no studies.</summary>
    public string? Storage { get; init; }

    /// <summary>The addresses to listen on. Default: http://127.0.0.1:0 (loopback, an ephemeral port).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>The Host header values to answer to; null for the loopback names when listening on loopback, else any.</summary>
    public IReadOnlyList<string>? AllowedHosts { get; init; }

    /// <summary>The bearer token every <c>/api</c> request must carry; required when <see cref="Urls"/> is not loopback only. Default: none.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// The run queue to show and take runs for (<c>GET</c>/<c>POST /api/queue</c>, <c>DELETE /api/queue/{id}</c> and the page's
    /// Queue section); the caller opens it and disposes it after the server. Default: none (no queue endpoints).
    /// </summary>
    public IRunQueue? Queue { get; init; }
}
