using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Trainer.Agent.Queue;
using Trainer.Serving.Dashboard;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer agent --dashboard [URL] [--token T] [--allowed-hosts H]</c>: the dashboard (runs, studies and the queue)
/// served from the agent's own process over its runs folder and queue, on a free loopback port unless URL says otherwise.
/// </summary>
internal sealed class AgentDashboard
{
    private readonly Option<string?> dashboard = new("--dashboard")
    {
        Description = "Also serve the dashboard (runs, studies and this queue, with submit and cancel) at URL. Default URL: http://127.0.0.1:0 " +
                      "(loopback, a free port; the address is printed and logged). Any other address needs --token.",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "URL",
    };

    private readonly Option<string?> token = new("--token")
    {
        Description = $"With --dashboard: the secret every API request must send as 'Authorization: Bearer TOKEN'. Default: ${DashboardCommand.TokenVariable}, else none.",
    };

    private readonly Option<string?> allowedHosts = new("--allowed-hosts")
    {
        Description = "With --dashboard: host names to answer to, separated by ';'. Default: the loopback names on loopback, any beyond it.",
    };

    /// <summary>Adds the options to <paramref name="command"/> and returns what reads them.</summary>
    public static AgentDashboard AddTo(Command command)
    {
        var options = new AgentDashboard();
        command.Options.Add(options.dashboard);
        command.Options.Add(options.token);
        command.Options.Add(options.allowedHosts);
        return options;
    }

    /// <summary>
    /// Starts the dashboard when <c>--dashboard</c> was given, printing and logging its address; (null, true) when it was not,
    /// (null, false) after writing why it cannot start.
    /// </summary>
    public async Task<(IAsyncDisposable? Server, bool Ok)> StartAsync(ParseResult parse, IRunQueue queue, string runsDirectory, Serilog.ILogger logger,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        if (parse.GetResult(dashboard) is null) return (null, true);
        var options = new DashboardOptions
        {
            RunsDirectory = runsDirectory,
            Urls = parse.GetValue(dashboard) is { Length: > 0 } url ? url : "http://127.0.0.1:0",
            Token = parse.GetValue(token) ?? (Environment.GetEnvironmentVariable(DashboardCommand.TokenVariable) is { Length: > 0 } t ? t : null),
            AllowedHosts = parse.GetValue(allowedHosts)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Queue = queue,
        };
        var problems = DashboardServer.Validate(options).Select(p => p.Replace("--urls", "--dashboard", StringComparison.Ordinal)).ToList();
        foreach (var problem in problems) await error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
        if (problems.Count > 0) return (null, false);
        var app = DashboardServer.Create(options);
        try
        {
            await app.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await error.WriteLineAsync($"error: --dashboard {options.Urls} cannot be used: {e.Message}").ConfigureAwait(false);
            return (null, false);
        }
        foreach (var address in DashboardServer.Addresses(app))
        {
            await output.WriteLineAsync($"Dashboard: {address}/").ConfigureAwait(false);
            logger.Information("Dashboard at {DashboardUrl} (token required: {TokenRequired})", address + "/", options.Token is not null);
        }
        await output.FlushAsync(cancellation).ConfigureAwait(false);
        return (new Running(app), true);
    }

    /// <summary>Stops the server (open requests get a moment to finish) when the agent stops.</summary>
    private sealed class Running(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await app.StopAsync(grace.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
