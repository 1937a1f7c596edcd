using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Trainer.Agent.Queue;
using Trainer.Hosting;
using Trainer.Recipes;
using Trainer.Serving.Dashboard;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer dashboard [--runs DIR] [--storage sqlite:PATH|postgres:CONN] [--queue LOC] [--urls URL] [--token T]</c>: serves the
/// dashboard page over finished (and running) run directories, search studies and (with --queue) the agents' run queue until Ctrl+C.
/// </summary>
internal static class DashboardCommand
{
    /// <summary>The environment variable read for the token when --token is not given (keeps it off the command line).</summary>
    public const string TokenVariable = "TRAINER_DASHBOARD_TOKEN";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var runs = new Option<string>("--runs")
        {
            Description = "The folder holding run directories (searched six levels deep, so study trials and experiment variants show). Default: runs.",
            DefaultValueFactory = _ => "runs",
        };
        var storage = new Option<string?>("--storage") { Description = "The study store: sqlite:PATH or postgres:CONNECTION. Default: RUNS/studies.db when it exists, else no studies." };
        var queue = new Option<string?>("--queue")
        {
            Description = "Also show the agents' run queue (sqlite:PATH or postgres:CONNECTION, as 'trainer agent --queue'), and take submissions and cancels for it. Default: none.",
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen. Default: http://127.0.0.1:0 (loopback, a free port; the URL is printed). Any other address needs --token.",
            DefaultValueFactory = _ => "http://127.0.0.1:0",
        };
        var token = new Option<string?>("--token")
        {
            Description = "A secret every API request must send as 'Authorization: Bearer TOKEN' (the page has a field for it; " +
                          $"'trainer token' makes one). Default: ${TokenVariable}, else none.",
        };
        var allowedHosts = new Option<string?>("--allowed-hosts")
        {
            Description = "Host names to answer to, separated by ';'. Default: localhost, 127.0.0.1 and [::1] on loopback (a DNS-rebound name is refused), any beyond it.",
        };
        var command = new Command("dashboard", "Serve the dashboard page for finished and running runs and for search studies (objective vs each parameter, trials, curves).")
        {
            runs, storage, queue, urls, token, allowedHosts,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            IRunQueue? runQueue = null;
            try
            {
                if (parse.GetValue(queue) is { } location) runQueue = RunQueues.Open(location);
            }
            catch (RecipeException e)
            {
                await error.WriteLineAsync($"error: --queue: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            using var _ = runQueue;
            var options = new DashboardOptions
            {
                Queue = runQueue,
                RunsDirectory = parse.GetValue(runs)!, Storage = parse.GetValue(storage), Urls = parse.GetValue(urls)!,
                Token = parse.GetValue(token) ?? (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } t ? t : null),
                AllowedHosts = parse.GetValue(allowedHosts)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            var problems = DashboardServer.Validate(options);
            if (problems.Count > 0)
            {
                foreach (var problem in problems) await error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            await using var app = DashboardServer.Create(options);
            try
            {
                await app.StartAsync(cancellation).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"error: --urls {options.Urls} cannot be used: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            foreach (var address in DashboardServer.Addresses(app))
                await output.WriteLineAsync($"Dashboard: {address}/").ConfigureAwait(false);
            await output.WriteLineAsync($"Runs: {Path.GetFullPath(options.RunsDirectory)}{(options.Token is null ? "" : "; API requests need the token")}. Ctrl+C stops.").ConfigureAwait(false);
            await output.FlushAsync(cancellation).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellation).ConfigureAwait(false);
            return ExitCodes.Completed;
        });
        return command;
    }
}
