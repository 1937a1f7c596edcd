using System.CommandLine;

namespace Trainer.Cli.Commands;

/// <summary>The <c>--queue</c> option the agent, submit and queue commands share.</summary>
internal static class QueueLocation
{
    /// <summary>The environment variable read when <c>--queue</c> is not given.</summary>
    public const string Variable = "TRAINER_QUEUE";

    /// <summary>The default queue: a SQLite file in runs/ under the working directory (not under the agent's --runs folder).</summary>
    public const string Default = "sqlite:runs/queue.db";

    /// <summary>A new <c>--queue</c> option.</summary>
    public static Option<string> Create() => new("--queue")
    {
        Description = $"The run queue: sqlite:PATH (one machine) or postgres:CONNECTION (agents on several machines). Default: ${Variable}, else {Default} under the working directory.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : Default,
    };
}
