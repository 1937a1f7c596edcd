using System.Globalization;
using Microsoft.Data.Sqlite;
using Trainer.Recipes;

namespace Trainer.Agent.Queue;

/// <summary>
/// A run queue in one SQLite file, for agents on one machine: WAL journal, a busy timeout under which locked statements
/// retry, and every change in one short transaction; a claim reads and marks the next run under the write lock
/// (<c>BEGIN IMMEDIATE</c>), so two agents, in one process or several, never take one run. Safe to share between threads.
/// </summary>
public sealed class SqliteRunQueue : IRunQueue
{
    private readonly SqliteConnection connection;
    private readonly Lock gate = new();

    /// <summary>Opens (and creates, with its folder) the queue at <paramref name="path"/>.</summary>
    /// <exception cref="RecipeException">The file cannot be opened as a run queue (e.g. it is not a SQLite database).</exception>
    public SqliteRunQueue(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Location = "sqlite:" + full;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"Run queue '{full}' cannot be created: {e.Message}; use sqlite:PATH with a writable folder.");
        }
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            connection.Open();
            // The busy timeout first: switching to WAL and creating the table wait on other processes opening the same file.
            Execute("PRAGMA busy_timeout=30000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            Execute("""
                CREATE TABLE IF NOT EXISTS queued_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, recipe_json TEXT NOT NULL,
                    overrides TEXT NOT NULL, priority INTEGER NOT NULL, recipe_path TEXT, state TEXT NOT NULL, submitted_at TEXT NOT NULL,
                    agent TEXT, heartbeat_at TEXT, started_at TEXT, claimed_at TEXT, interrupted_at TEXT, finished_at TEXT, run_dir TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0, cancel_requested INTEGER NOT NULL DEFAULT 0, peak_memory INTEGER, duration REAL,
                    exit_code INTEGER, message TEXT);
                CREATE INDEX IF NOT EXISTS queued_runs_state ON queued_runs (state, priority DESC, id);
                """);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new RecipeException($"Run queue '{full}' cannot be opened: {e.Message}; use sqlite:PATH with a new file or an existing run queue.");
        }
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public QueuedRun Submit(QueueSubmission submission)
    {
        QueueRows.CheckSubmission(submission);
        lock (gate)
        {
            using var command = Command($"""
                INSERT INTO queued_runs (name, recipe_json, overrides, priority, recipe_path, state, submitted_at)
                VALUES ($name, $recipe, $overrides, $priority, $path, 'Queued', $now) RETURNING {QueueRows.Columns}
                """, ("$name", submission.Name), ("$recipe", submission.RecipeJson), ("$overrides", QueueRows.OverridesJson(submission.Overrides)),
                ("$priority", submission.Priority), ("$path", submission.RecipePath), ("$now", Now()));
            return ReadOne(command)!;
        }
    }

    /// <inheritdoc />
    public QueuedRun? Get(long id)
    {
        lock (gate)
        {
            using var command = Command($"SELECT {QueueRows.Columns} FROM queued_runs WHERE id = $id", ("$id", id));
            return ReadOne(command);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<QueuedRun> List(bool includeFinished = true)
    {
        lock (gate)
        {
            using var command = Command($"""
                SELECT {QueueRows.Columns} FROM queued_runs {(includeFinished ? "" : $"WHERE state NOT IN ({QueueRows.FinalStates})")}
                ORDER BY {QueueRows.ListOrder}
                """);
            using var reader = command.ExecuteReader();
            var runs = new List<QueuedRun>();
            while (reader.Read()) runs.Add(QueueRows.Read(reader, ReadTime));
            return runs;
        }
    }

    /// <inheritdoc />
    public QueuedRun? Claim(string agent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        lock (gate)
        {
            // IMMEDIATE takes the write lock at once: choosing the run and marking it are one step for every process on the file.
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = Command($"""
                UPDATE queued_runs SET state = 'Running', agent = $agent, heartbeat_at = $now, claimed_at = $now,
                    started_at = COALESCE(started_at, $now), attempts = attempts + 1, message = NULL
                WHERE id = (SELECT id FROM queued_runs WHERE state IN ('Interrupted', 'Queued') ORDER BY {QueueRows.ClaimOrder} LIMIT 1)
                RETURNING {QueueRows.Columns}
                """, ("$agent", agent), ("$now", Now()));
            command.Transaction = transaction;
            var run = ReadOne(command);
            transaction.Commit();
            return run;
        }
    }

    /// <inheritdoc />
    public HeartbeatReply Heartbeat(long id, string agent)
    {
        lock (gate)
        {
            using var command = Command("""
                UPDATE queued_runs SET heartbeat_at = $now WHERE id = $id AND state = 'Running' AND agent = $agent RETURNING cancel_requested
                """, ("$now", Now()), ("$id", id), ("$agent", agent));
            return command.ExecuteScalar() switch
            {
                null => HeartbeatReply.Lost,
                long cancel when cancel != 0 => HeartbeatReply.Cancel,
                _ => HeartbeatReply.Continue,
            };
        }
    }

    /// <inheritdoc />
    public void SetRunDirectory(long id, string agent, string runDirectory)
    {
        lock (gate)
            Run("UPDATE queued_runs SET run_dir = $dir WHERE id = $id AND state = 'Running' AND agent = $agent",
                ("$dir", runDirectory), ("$id", id), ("$agent", agent));
    }

    /// <inheritdoc />
    public bool Finish(long id, string agent, RunOutcomeReport outcome)
    {
        QueueRows.CheckOutcome(outcome);
        lock (gate)
            return Run("""
                UPDATE queued_runs SET state = $state, exit_code = $exit, peak_memory = $peak, duration = COALESCE(duration, 0) + $duration,
                    message = $message, finished_at = $now, heartbeat_at = $now
                WHERE id = $id AND state = 'Running' AND agent = $agent
                """, ("$state", outcome.State.ToString()), ("$exit", outcome.ExitCode), ("$peak", outcome.PeakMemoryBytes),
                ("$duration", outcome.DurationSeconds), ("$message", outcome.Message), ("$now", Now()), ("$id", id), ("$agent", agent)) == 1;
    }

    /// <inheritdoc />
    public bool Release(long id, string agent, double durationSeconds, string? message = null)
    {
        lock (gate)
            return Run($"""
                UPDATE queued_runs SET duration = COALESCE(duration, 0) + $duration, heartbeat_at = $now, {Interrupt("$message")}
                WHERE id = $id AND state = 'Running' AND agent = $agent
                """, ("$duration", durationSeconds), ("$message", message ?? QueueRows.Released(agent)), ("$now", Now()), ("$id", id),
                ("$agent", agent)) == 1;
    }

    /// <inheritdoc />
    public bool Cancel(long id)
    {
        lock (gate)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var changed = Run(transaction, """
                UPDATE queued_runs SET state = 'Cancelled', finished_at = $now WHERE id = $id AND state IN ('Queued', 'Interrupted')
                """, ("$now", Now()), ("$id", id))
                + Run(transaction, "UPDATE queued_runs SET cancel_requested = 1 WHERE id = $id AND state = 'Running'", ("$id", id));
            transaction.Commit();
            return changed == 1;
        }
    }

    /// <inheritdoc />
    public int RequeueStale(TimeSpan grace) => Requeue("heartbeat_at < $cutoff", ("$cutoff", Stamp(DateTimeOffset.UtcNow - grace)), null);

    /// <inheritdoc />
    public int RequeueAgent(string agent) => Requeue("agent = $agent", ("$agent", agent), agent);

    /// <inheritdoc />
    public void Dispose() => connection.Dispose();

    /// <summary>Puts back the running runs matching <paramref name="where"/>, adding each attempt's time up to its last heartbeat.</summary>
    private int Requeue(string where, (string, object?) parameter, string? restartedAgent)
    {
        lock (gate)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var runs = new List<(long Id, string Agent, string Heartbeat, string Claimed)>();
            using (var select = Command($"SELECT id, agent, heartbeat_at, claimed_at FROM queued_runs WHERE state = 'Running' AND {where}", parameter))
            {
                select.Transaction = transaction;
                using var reader = select.ExecuteReader();
                while (reader.Read()) runs.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
            var now = Now();
            foreach (var run in runs)
            {
                var heartbeat = Parse(run.Heartbeat);
                var message = restartedAgent is null ? QueueRows.Stale(run.Agent, heartbeat) : QueueRows.Restarted(restartedAgent);
                Run(transaction, $"UPDATE queued_runs SET duration = COALESCE(duration, 0) + $duration, {Interrupt("$message")} WHERE id = $id",
                    ("$duration", Math.Max(0, (heartbeat - Parse(run.Claimed)).TotalSeconds)), ("$message", message), ("$now", now), ("$id", run.Id));
            }
            transaction.Commit();
            return runs.Count;
        }
    }

    /// <summary>
    /// The assignments that stop a running run: interrupted to resume, or cancelled when a user asked to cancel it meanwhile.
    /// </summary>
    private static string Interrupt(string message) => $"""
        state = CASE WHEN cancel_requested = 1 THEN 'Cancelled' ELSE 'Interrupted' END,
        finished_at = CASE WHEN cancel_requested = 1 THEN $now END, interrupted_at = $now,
        message = CASE WHEN cancel_requested = 1 THEN '{QueueRows.CancelledWhileStopping}' ELSE {message} END
        """;

    private QueuedRun? ReadOne(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? QueueRows.Read(reader, ReadTime) : null;
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private int Run(string sql, params (string Name, object? Value)[] parameters) => Run(null, sql, parameters);

    private int Run(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandTimeout = 30;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static DateTimeOffset ReadTime(System.Data.Common.DbDataReader reader, int i) => Parse(reader.GetString(i));

    private static DateTimeOffset Parse(string stamp) => DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Now() => Stamp(DateTimeOffset.UtcNow);

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
