using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Trainer.Agent.Execution;
using Trainer.Agent.Platform;
using Trainer.Agent.Queue;
using Trainer.Hosting;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer agent [--queue LOC] [--runs DIR] [--agent-id NAME] [--slots N] …</c>: the training service. Takes runs
/// from the queue and runs each as <c>trainer run</c> in its own process until stopped.
/// </summary>
internal static class AgentCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var queue = QueueLocation.Create();
        var runs = new Option<string>("--runs") { Description = "The folder the runs' directories go in. Default: runs.", DefaultValueFactory = _ => "runs" };
        var name = new Option<string>("--agent-id")
        {
            Description = "This agent's name in the queue: unique among the agents sharing it, the same across restarts. Default: the machine's name.",
            DefaultValueFactory = _ => Environment.MachineName,
        };
        var slots = new Option<int>("--slots") { Description = "Runs at once (each gets an equal share of the threads, or one of --gpus). Default 1.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads in all, split between the slots. Default: the processor count." };
        var gpus = new Option<string?>("--gpus") { Description = "GPU indices, one per slot, e.g. 0,1 (each run sees only its own as cuda:0)." };
        var heartbeat = new Option<double>("--heartbeat") { Description = "Seconds between a running run's heartbeats. Default 5.", DefaultValueFactory = _ => 5 };
        var staleAfter = new Option<double>("--stale-after")
        {
            Description = "Seconds without a heartbeat before another agent's run counts as abandoned and is put back; more than --stop-timeout. Default 180.",
            DefaultValueFactory = _ => 180,
        };
        var stopTimeout = new Option<double>("--stop-timeout")
        {
            Description = "Seconds a stopping run may take to write its checkpoint before it is killed. Default 100.",
            DefaultValueFactory = _ => 100,
        };
        var exitWhenIdle = new Option<bool>("--exit-when-idle")
        {
            Description = "Stop once no run waits or runs in the queue (another agent's running run keeps it waiting, to resume it should that agent die).",
        };
        var maxRuns = new Option<int?>("--max-runs") { Description = "Stop after this many runs have finished." };
        var poll = new Option<double>("--poll") { Description = "Seconds between looks at an empty queue. Default 2.", DefaultValueFactory = _ => 2 };
        var printUnit = new Option<bool>("--print-unit")
        {
            Description = "Print a systemd unit file that runs this agent with these options (Type=notify, watchdog, hardening) and exit: " +
                          "trainer agent --queue … --runs /srv/trainer/runs --print-unit > /etc/systemd/system/trainer-agent.service",
        };
        var unitUser = new Option<string?>("--unit-user") { Description = "With --print-unit: the user the service runs as. Default: the current user." };
        var memoryMax = new Option<string?>("--memory-max")
        {
            Description = "The memory the runs may use together (e.g. 48G): each slot's share bounds its runs (a run that cannot fit is refused, a large data " +
                          "set streams) and, with --print-unit, the unit's MemoryMax=. Default: the cgroup's limit, else the machine's memory.",
        };
        var command = new Command("agent", "Run queued recipes ('trainer submit') one after another (or in --slots), each as its own run, until stopped; " +
                                           "SIGTERM checkpoints the running run and puts it back at the head of the queue.")
        {
            queue, runs, name, slots, threads, gpus, heartbeat, staleAfter, stopTimeout, exitWhenIdle, maxRuns, poll, printUnit, unitUser, memoryMax,
        };
        var web = AgentDashboard.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            AgentOptions options;
            IRunQueue runQueue;
            AgentLock agentLock;
            try
            {
                options = new AgentOptions
                {
                    Name = parse.GetValue(name)!,
                    RunsDirectory = parse.GetValue(runs)!,
                    Slots = Positive(parse.GetValue(slots), "--slots"),
                    Threads = parse.GetValue(threads) is { } t ? Positive(t, "--threads") : null,
                    Gpus = Gpus(parse.GetValue(gpus)),
                    HeartbeatInterval = Seconds(parse.GetValue(heartbeat), "--heartbeat"),
                    StaleAfter = Seconds(parse.GetValue(staleAfter), "--stale-after"),
                    StopTimeout = Seconds(parse.GetValue(stopTimeout), "--stop-timeout"),
                    PollInterval = Seconds(parse.GetValue(poll), "--poll"),
                    ExitWhenIdle = parse.GetValue(exitWhenIdle),
                    MaxRuns = parse.GetValue(maxRuns) is { } m ? Positive(m, "--max-runs") : null,
                    MemoryLimitBytes = parse.GetValue(memoryMax) is { } size ? AgentMemory.Parse(size, "--memory-max") : null,
                };
                if (string.IsNullOrWhiteSpace(options.Name)) throw new RecipeException("--agent-id must not be empty.");
                if (options.Gpus.Count > 0 && options.Gpus.Count != options.Slots)
                    throw new RecipeException($"--gpus names {options.Gpus.Count} GPU(s) for {options.Slots} slot(s); give one per slot (or set --slots {options.Gpus.Count}).");
                if (options.StaleAfter <= 2 * options.HeartbeatInterval)
                    throw new RecipeException($"--stale-after ({options.StaleAfter.TotalSeconds:0.#}s) must be more than twice --heartbeat ({options.HeartbeatInterval.TotalSeconds:0.#}s), " +
                                              "or a live agent's runs would be taken from it.");
                if (options.StaleAfter <= options.StopTimeout)
                    throw new RecipeException($"--stale-after ({options.StaleAfter.TotalSeconds:0.#}s) must be more than --stop-timeout ({options.StopTimeout.TotalSeconds:0.#}s): " +
                                              "a stopping run sends no heartbeat while it writes its checkpoint.");
                if (parse.GetValue(printUnit))
                {
                    var given = new[] { heartbeat, staleAfter, stopTimeout, poll }.Where(o => parse.GetResult(o) is { Implicit: false })
                        .SelectMany(o => new[] { o.Name, parse.GetValue(o).ToString(CultureInfo.InvariantCulture) });
                    await output.WriteAsync(Unit(options, parse.GetValue(queue)!, given, parse.GetValue(unitUser), parse.GetValue(memoryMax))).ConfigureAwait(false);
                    return ExitCodes.Completed;
                }
                runQueue = RunQueues.Open(parse.GetValue(queue)!);
                try
                {
                    agentLock = AgentLock.Acquire(runQueue.Location, options.Name);
                }
                catch
                {
                    runQueue.Dispose();
                    throw;
                }
            }
            catch (RecipeException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            using (agentLock)
            using (runQueue)
            {
                Directory.CreateDirectory(options.RunsDirectory);
                var configuration = new LoggerConfiguration()
                    .MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                    .WriteTo.File(new CompactJsonFormatter(), Path.Combine(options.RunsDirectory, $"agent-{Safe(options.Name)}.clef"));
                // Under systemd the journal stamps each line: priority-prefixed lines without a timestamp there.
                if (JournaldConsole.Formatter() is { } journald) configuration.WriteTo.Console(journald);
                else configuration.WriteTo.Console(formatProvider: CultureInfo.InvariantCulture, outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
                await using var logger = configuration.CreateLogger();
                var (dashboard, started) = await web.StartAsync(parse, runQueue, options.RunsDirectory, logger, output, error, cancellation).ConfigureAwait(false);
                if (!started) return ExitCodes.InvalidInput;
                await using var _ = dashboard;
                using var host = AgentHost.Create(runQueue, options, TrainerCommand.Current(), logger);
                await host.RunAsync(cancellation).ConfigureAwait(false);
            }
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Completed;
        });
        return command;
    }

    /// <summary>The unit file for this agent: its options as given on this command line, its stop timeout with time to spare.</summary>
    private static string Unit(AgentOptions options, string queue, IEnumerable<string> timings, string? user, string? memoryMax)
    {
        var extra = new List<string> { "--agent-id", options.Name };
        if (options.Threads is { } threads) extra.AddRange(["--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        if (options.Gpus.Count > 0) extra.AddRange(["--gpus", string.Join(',', options.Gpus)]);
        extra.AddRange(timings);
        return SystemdUnit.Write(new SystemdUnitOptions
        {
            Queue = queue,
            RunsFolder = options.RunsDirectory,
            Slots = options.Slots,
            ExtraArguments = extra,
            User = user,
            Gpu = options.Gpus.Count > 0,
            MemoryMax = memoryMax,
            StopTimeout = options.StopTimeout + TimeSpan.FromSeconds(20),
        });
    }

    /// <summary>The agent's name as a file name (its own log beside the runs: RUNS/agent-NAME.clef).</summary>
    private static string Safe(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new RecipeException($"{option} must be at least 1 (got {value}).");

    private static TimeSpan Seconds(double value, string option) =>
        value > 0 && double.IsFinite(value) ? TimeSpan.FromSeconds(value) : throw new RecipeException($"{option} must be a positive number of seconds (got {value}).");

    private static int[] Gpus(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(g =>
            int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? index
                : throw new RecipeException($"--gpus '{text}': '{g}' is not a GPU index; write e.g. --gpus 0,1.")).ToArray();
    }
}
