using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trainer.Hosting;
using Trainer.Serving.Api;

namespace Trainer.Serving.Live;

/// <summary>
/// Writes <c>RUN_DIR/endpoint.json</c> and logs the address once the server listens; marks the file ended (with the
/// run's final status) when the host stops, so <c>trainer ctl</c> can say the run has ended.
/// </summary>
internal sealed class EndpointFileService(IServer server, IHostApplicationLifetime lifetime, LiveRun live, ServeOptions options, PreparedRun run,
    RunOutcome outcome, ILogger<EndpointFileService> logger) : IHostedService
{
    private EndpointInfo? written;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Started);
        lifetime.ApplicationStopping.Register(Ended);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Started()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var url = Reachable(addresses.FirstOrDefault() ?? options.UrlList[0]);
        written = new EndpointInfo
        {
            Url = url, Urls = addresses, Pid = Environment.ProcessId, RunId = live.RunId, TokenRequired = options.Token is not null,
            StartedAt = DateTimeOffset.UtcNow,
        };
        Write(written);
        // The real addresses, a wildcard included: the log must not understate who can reach the run.
        ServingLog.Serving(logger, string.Join(", ", addresses.DefaultIfEmpty(url)), addresses.Any(a => !IsLoopbackAddress(a)), options.Token is not null, run.Run.Directory);
    }

    private void Ended()
    {
        var status = outcome.Summary?.Status ?? "interrupted";
        live.Ended(status);
        if (written is not null) Write(written with { Ended = true, EndedAt = DateTimeOffset.UtcNow, Status = status });
    }

    private void Write(EndpointInfo info)
    {
        try
        {
            info.Write(run.Run.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ServingLog.EndpointFileFailed(logger, Path.Combine(run.Run.Directory, EndpointInfo.FileName), e.Message);
        }
    }

    private static bool IsLoopbackAddress(string address) =>
        Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && ServeOptions.IsLoopback(uri.Host);

    /// <summary>The address with a wildcard host (0.0.0.0, [::], +, *) replaced by loopback, so a local client can use it.</summary>
    internal static string Reachable(string address)
    {
        var normal = address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normal, UriKind.Absolute, out var uri)) return address;
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
