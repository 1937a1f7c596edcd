using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace Trainer.Agent.Queue;

/// <summary>What both run queues share: the column list, reading a row, the order of runs, and the messages they store.</summary>
internal static class QueueRows
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns = "id, name, recipe_json, overrides, priority, recipe_path, state, submitted_at, agent, heartbeat_at, started_at, " +
                                  "finished_at, run_dir, attempts, cancel_requested, peak_memory, duration, exit_code, message";

    /// <summary>
    /// The order an agent takes waiting runs in: interrupted ones (oldest interruption first), then queued ones by priority
    /// and submission.
    /// </summary>
    public const string ClaimOrder = "CASE WHEN state = 'Interrupted' THEN 0 ELSE 1 END, interrupted_at, priority DESC, id";

    /// <summary>The order of <see cref="IRunQueue.List"/>: waiting runs as claimed, then running ones, then finished ones newest first.</summary>
    public const string ListOrder = "CASE state WHEN 'Interrupted' THEN 0 WHEN 'Queued' THEN 1 WHEN 'Running' THEN 2 ELSE 3 END, " +
                                    "CASE WHEN state = 'Interrupted' THEN interrupted_at END, " +
                                    "CASE WHEN state = 'Queued' THEN priority END DESC, " +
                                    "CASE WHEN state NOT IN ('Interrupted', 'Queued', 'Running') THEN finished_at END DESC, " +
                                    "CASE WHEN state IN ('Interrupted', 'Queued', 'Running') THEN id END, id DESC";

    /// <summary>The states a run ends in.</summary>
    public const string FinalStates = "'Completed', 'Failed', 'Cancelled'";

    /// <summary>The overrides as stored: a JSON array of strings.</summary>
    public static string OverridesJson(IReadOnlyList<string> overrides) => JsonSerializer.Serialize(overrides);

    /// <summary>The message of a run put back because its agent went silent.</summary>
    public static string Stale(string agent, DateTimeOffset heartbeat) =>
        $"agent {agent} stopped sending heartbeats at {heartbeat.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z";

    /// <summary>The message of a run put back because its agent started again (it died holding the run).</summary>
    public static string Restarted(string agent) => $"agent {agent} restarted";

    /// <summary>The message of a run its agent released without saying why.</summary>
    public static string Released(string agent) => $"agent {agent} stopped before the run ended";

    /// <summary>The message of a run that was to be cancelled when its agent stopped.</summary>
    public const string CancelledWhileStopping = "cancelled while running; its agent stopped before seeing the request";

    /// <summary>Checks that an outcome is a final state.</summary>
    public static void CheckOutcome(RunOutcomeReport outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.State is not (QueuedRunState.Completed or QueuedRunState.Failed or QueuedRunState.Cancelled))
            throw new ArgumentException($"A run ends Completed, Failed or Cancelled, not {outcome.State}.", nameof(outcome));
    }

    /// <summary>Checks a submission before it is stored.</summary>
    public static void CheckSubmission(QueueSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.Name, nameof(submission));
        ArgumentNullException.ThrowIfNull(submission.RecipeJson, nameof(submission));
        ArgumentNullException.ThrowIfNull(submission.Overrides, nameof(submission));
    }

    /// <summary>Reads the run at the reader's row (columns as in <see cref="Columns"/>); <paramref name="time"/> reads a timestamp column.</summary>
    public static QueuedRun Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time)
    {
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : time(reader, i);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var submission = new QueueSubmission(reader.GetString(1), reader.GetString(2),
            JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? [], reader.GetInt32(4), Text(5));
        return new QueuedRun(
            reader.GetInt64(0), submission, Enum.Parse<QueuedRunState>(reader.GetString(6)), time(reader, 7), Text(8), Time(9), Time(10),
            Time(11), Text(12), reader.GetInt32(13), reader.GetBoolean(14), reader.IsDBNull(15) ? null : reader.GetInt64(15),
            reader.IsDBNull(16) ? null : reader.GetDouble(16), reader.IsDBNull(17) ? null : reader.GetInt32(17), Text(18));
    }
}
