using System.CommandLine;
using System.Globalization;
using Trainer.Agent.Queue;
using Trainer.Hosting;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer queue [--all] [--queue LOC]</c> lists the run queue; <c>trainer queue cancel ID</c> cancels a run.</summary>
internal static class QueueCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var all = new Option<bool>("--all") { Description = "Also list finished runs (completed, failed, cancelled)." };
        var queue = QueueLocation.Create();
        var id = new Argument<string>("id") { Description = "The run's queue id, as listed (q12 or 12)." };
        var cancelQueue = QueueLocation.Create();
        var cancel = new Command("cancel", "Cancel a queued run, or stop a running one (it writes its checkpoint and summary).") { id, cancelQueue };
        cancel.SetAction(async (parse, _) => await Guard(error, async () =>
        {
            var text = parse.GetValue(id)!.TrimStart('q', 'Q');
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                throw new RecipeException($"'{parse.GetValue(id)}' is not a queue id; write it as listed by 'trainer queue' (q12 or 12).");
            using var runs = RunQueues.Open(parse.GetValue(cancelQueue)!);
            var before = runs.Get(number) ?? throw new RecipeException($"There is no run q{number} in {runs.Location}; 'trainer queue --all' lists them.");
            if (!runs.Cancel(number)) throw new RecipeException($"Run q{number} already ended ({Describe(before.State)}); there is nothing to cancel.");
            await output.WriteLineAsync(before.State == QueuedRunState.Running
                ? $"Cancelling q{number} {before.Submission.Name}: its agent stops it at its next heartbeat."
                : $"Cancelled q{number} {before.Submission.Name}.").ConfigureAwait(false);
        }).ConfigureAwait(false));
        var command = new Command("queue", "List the run queue of 'trainer agent' (waiting and running runs; --all adds finished ones).") { all, queue, cancel };
        command.SetAction(async (parse, _) => await Guard(error, async () =>
        {
            using var runs = RunQueues.Open(parse.GetValue(queue)!);
            var list = runs.List(parse.GetValue(all));
            await output.WriteLineAsync($"{runs.Location}: {list.Count} run(s)").ConfigureAwait(false);
            if (list.Count == 0) return;
            string[] header = ["ID", "STATE", "PRI", "NAME", "AGENT", "TRIES", "SUBMITTED", "TIME", "PEAK MB", "RUN DIRECTORY / MESSAGE"];
            var rows = list.Select(Row).Prepend(header).ToList();
            var widths = Enumerable.Range(0, header.Length - 1).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var row in rows)
                await output.WriteLineAsync(string.Join("  ", row.Take(widths.Length).Select((cell, c) => cell.PadRight(widths[c]))) + "  " + row[^1]).ConfigureAwait(false);
        }).ConfigureAwait(false));
        return command;
    }

    private static string[] Row(QueuedRun run) =>
    [
        $"q{run.Id}",
        Describe(run.State) + (run.CancelRequested && run.State == QueuedRunState.Running ? " (cancelling)" : ""),
        run.Submission.Priority.ToString(CultureInfo.InvariantCulture),
        run.Submission.Name,
        run.Agent ?? "-",
        run.Attempts.ToString(CultureInfo.InvariantCulture),
        run.SubmittedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        run.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : "-",
        run.PeakMemoryBytes is { } peak ? (peak / 1048576.0).ToString("0", CultureInfo.InvariantCulture) : "-",
        string.Join(" ", new[] { run.RunDirectory, run.Message }.Where(s => !string.IsNullOrEmpty(s))),
    ];

    private static string Describe(QueuedRunState state) => state.ToString().ToLowerInvariant();

    private static async Task<int> Guard(TextWriter error, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            return ExitCodes.Completed;
        }
        catch (RecipeException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
    }
}
