using System.Text.RegularExpressions;
using Npgsql;
using Trainer.Recipes;

namespace Trainer.Agent.Queue;

/// <summary>
/// A run queue in PostgreSQL, for agents on several machines. A claim is one statement that locks the next waiting run
/// with <c>FOR UPDATE SKIP LOCKED</c>, so agents claiming at once take different runs without waiting on each other;
/// every timestamp is the server's <c>now()</c>, so agents on machines with skewed clocks agree on heartbeats. Safe to
/// share between threads (each call takes a pooled connection).
/// </summary>
public sealed partial class PostgresRunQueue : IRunQueue
{
    /// <summary>The table the queue lives in unless told otherwise.</summary>
    public const string DefaultTable = "queued_runs";

    private readonly NpgsqlDataSource source;
    private readonly string table;

    /// <summary>
    /// Connects with <paramref name="connectionString"/> (e.g. "Host=127.0.0.1;Username=trainer;Password=…;Database=trainer")
    /// and creates the queue's table, <paramref name="table"/> (lower-case letters, digits and underscores; default
    /// <see cref="DefaultTable"/>), when missing.
    /// </summary>
    /// <exception cref="RecipeException">The connection string is malformed or the server cannot be reached.</exception>
    public PostgresRunQueue(string connectionString, string table = DefaultTable)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (!TableName().IsMatch(table))
            throw new ArgumentException($"Table name '{table}' must be lower-case letters, digits and underscores, starting with a letter.", nameof(table));
        this.table = table;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            builder.Remove("Password");
            Location = "postgres:" + builder.ConnectionString;
            source = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new RecipeException($"Run queue 'postgres:…' has a malformed connection string: {e.Message}; " +
                                      "use postgres:Host=HOST;Username=USER;Password=…;Database=DB.");
        }
        try
        {
            // Agents starting together would race on CREATE TABLE IF NOT EXISTS; an advisory lock serialises them (and ends with
            // the transaction, even when a statement fails).
            using var connection = source.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using var create = Command(connection, $"""
                SELECT pg_advisory_xact_lock(7461330);
                CREATE TABLE IF NOT EXISTS {table} (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, recipe_json TEXT NOT NULL, overrides TEXT NOT NULL,
                    priority INTEGER NOT NULL, recipe_path TEXT, state TEXT NOT NULL, submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(), agent TEXT,
                    heartbeat_at TIMESTAMPTZ, started_at TIMESTAMPTZ, claimed_at TIMESTAMPTZ, interrupted_at TIMESTAMPTZ, finished_at TIMESTAMPTZ,
                    run_dir TEXT, attempts INTEGER NOT NULL DEFAULT 0, cancel_requested BOOLEAN NOT NULL DEFAULT false, peak_memory BIGINT,
                    duration DOUBLE PRECISION, exit_code INTEGER, message TEXT);
                CREATE INDEX IF NOT EXISTS {table}_waiting ON {table} (priority DESC, id) WHERE state IN ('Interrupted', 'Queued');
                """);
            create.ExecuteNonQuery();
            transaction.Commit();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            source.Dispose();
            throw new RecipeException($"Run queue '{Location}' cannot be opened: {e.Message}");
        }
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public QueuedRun Submit(QueueSubmission submission)
    {
        QueueRows.CheckSubmission(submission);
        return ReadOne($"""
            INSERT INTO {table} (name, recipe_json, overrides, priority, recipe_path, state)
            VALUES (@name, @recipe, @overrides, @priority, @path, 'Queued') RETURNING {QueueRows.Columns}
            """, ("name", submission.Name), ("recipe", submission.RecipeJson), ("overrides", QueueRows.OverridesJson(submission.Overrides)),
            ("priority", submission.Priority), ("path", submission.RecipePath))!;
    }

    /// <inheritdoc />
    public QueuedRun? Get(long id) => ReadOne($"SELECT {QueueRows.Columns} FROM {table} WHERE id = @id", ("id", id));

    /// <inheritdoc />
    public IReadOnlyList<QueuedRun> List(bool includeFinished = true) => ReadAll($"""
        SELECT {QueueRows.Columns} FROM {table} {(includeFinished ? "" : $"WHERE state NOT IN ({QueueRows.FinalStates})")} ORDER BY {QueueRows.ListOrder}
        """);

    /// <inheritdoc />
    public QueuedRun? Claim(string agent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        // One statement: the inner SELECT locks the chosen row and skips rows other agents are claiming at this moment.
        return ReadOne($"""
            UPDATE {table} SET state = 'Running', agent = @agent, heartbeat_at = now(), claimed_at = now(), started_at = COALESCE(started_at, now()),
                attempts = attempts + 1, message = NULL
            WHERE id = (SELECT id FROM {table} WHERE state IN ('Interrupted', 'Queued') ORDER BY {QueueRows.ClaimOrder} LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {QueueRows.Columns}
            """, ("agent", agent));
    }

    /// <inheritdoc />
    public HeartbeatReply Heartbeat(long id, string agent)
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, $"""
            UPDATE {table} SET heartbeat_at = now() WHERE id = @id AND state = 'Running' AND agent = @agent RETURNING cancel_requested
            """, ("id", id), ("agent", agent));
        return command.ExecuteScalar() switch
        {
            null => HeartbeatReply.Lost,
            true => HeartbeatReply.Cancel,
            _ => HeartbeatReply.Continue,
        };
    }

    /// <inheritdoc />
    public void SetRunDirectory(long id, string agent, string runDirectory) =>
        Execute($"UPDATE {table} SET run_dir = @dir WHERE id = @id AND state = 'Running' AND agent = @agent", ("dir", runDirectory), ("id", id), ("agent", agent));

    /// <inheritdoc />
    public bool Finish(long id, string agent, RunOutcomeReport outcome)
    {
        QueueRows.CheckOutcome(outcome);
        return Execute($"""
            UPDATE {table} SET state = @state, exit_code = @exit, peak_memory = @peak, duration = COALESCE(duration, 0) + @duration,
                message = @message, finished_at = now(), heartbeat_at = now()
            WHERE id = @id AND state = 'Running' AND agent = @agent
            """, ("state", outcome.State.ToString()), ("exit", outcome.ExitCode), ("peak", outcome.PeakMemoryBytes), ("duration", outcome.DurationSeconds),
            ("message", outcome.Message), ("id", id), ("agent", agent)) == 1;
    }

    /// <inheritdoc />
    public bool Release(long id, string agent, double durationSeconds, string? message = null) => Execute($"""
        UPDATE {table} SET duration = COALESCE(duration, 0) + @duration, heartbeat_at = now(), {Interrupt("@message")}
        WHERE id = @id AND state = 'Running' AND agent = @agent
        """, ("duration", durationSeconds), ("message", message ?? QueueRows.Released(agent)), ("id", id), ("agent", agent)) == 1;

    /// <inheritdoc />
    public bool Cancel(long id) => Execute($"""
        UPDATE {table} SET state = CASE WHEN state = 'Running' THEN state ELSE 'Cancelled' END,
            finished_at = CASE WHEN state = 'Running' THEN finished_at ELSE now() END,
            cancel_requested = cancel_requested OR state = 'Running'
        WHERE id = @id AND state IN ('Queued', 'Interrupted', 'Running')
        """, ("id", id)) == 1;

    /// <inheritdoc />
    public int RequeueStale(TimeSpan grace) => Execute($"""
        UPDATE {table} SET duration = COALESCE(duration, 0) + GREATEST(0, EXTRACT(EPOCH FROM heartbeat_at - claimed_at)::double precision),
            {Interrupt("'agent ' || agent || ' stopped sending heartbeats at ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || 'Z'")}
        WHERE state = 'Running' AND heartbeat_at < now() - @grace
        """, ("grace", grace));

    /// <inheritdoc />
    public int RequeueAgent(string agent) => Execute($"""
        UPDATE {table} SET duration = COALESCE(duration, 0) + GREATEST(0, EXTRACT(EPOCH FROM heartbeat_at - claimed_at)::double precision),
            {Interrupt("@message")}
        WHERE state = 'Running' AND agent = @agent
        """, ("message", QueueRows.Restarted(agent)), ("agent", agent));

    /// <inheritdoc />
    public void Dispose() => source.Dispose();

    /// <summary>
    /// The assignments that stop a running run: interrupted to resume, or cancelled when a user asked to cancel it meanwhile.
    /// </summary>
    private static string Interrupt(string message) => $"""
        state = CASE WHEN cancel_requested THEN 'Cancelled' ELSE 'Interrupted' END,
        finished_at = CASE WHEN cancel_requested THEN now() END, interrupted_at = now(),
        message = CASE WHEN cancel_requested THEN '{QueueRows.CancelledWhileStopping}' ELSE {message} END
        """;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,50}$")]
    private static partial Regex TableName();

    private QueuedRun? ReadOne(string sql, params (string Name, object? Value)[] parameters) => ReadAll(sql, parameters).SingleOrDefault();

    private List<QueuedRun> ReadAll(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var runs = new List<QueuedRun>();
        while (reader.Read()) runs.Add(QueueRows.Read(reader, (r, i) => r.GetFieldValue<DateTimeOffset>(i)));
        return runs;
    }

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
