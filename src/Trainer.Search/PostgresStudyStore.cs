using System.Text.Json;
using Npgsql;
using Trainer.Recipes;
using Trainer.Search;

namespace Trainer.Search;

/// <summary>
/// A study store in PostgreSQL, so workers on several machines share one study (Optuna's design). Trial numbering
/// locks the study's row (<c>SELECT … FOR UPDATE</c>) for the few statements that read the next number and insert it.
/// </summary>
public sealed class PostgresStudyStore : IStudyStore
{
    private readonly NpgsqlDataSource source;

    /// <summary>Connects with <paramref name="connectionString"/> (e.g. "Host=127.0.0.1;Username=trainer;Password=…;Database=trainer") and creates the tables.</summary>
    public PostgresStudyStore(string connectionString)
    {
        try
        {
            source = NpgsqlDataSource.Create(connectionString);
            // Workers starting together would race on CREATE TABLE IF NOT EXISTS; an advisory lock serialises them.
            Execute(null, """
                SELECT pg_advisory_lock(7461329);
                CREATE TABLE IF NOT EXISTS studies (name TEXT PRIMARY KEY, objective TEXT NOT NULL, maximize BOOLEAN NOT NULL,
                    space TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
                CREATE TABLE IF NOT EXISTS trials (study TEXT NOT NULL REFERENCES studies(name), number INTEGER NOT NULL, state TEXT NOT NULL,
                    params TEXT NOT NULL, point TEXT NOT NULL, value DOUBLE PRECISION, run_dir TEXT, started_at TIMESTAMPTZ NOT NULL,
                    ended_at TIMESTAMPTZ, heartbeat_at TIMESTAMPTZ NOT NULL, worker TEXT NOT NULL, failure TEXT, PRIMARY KEY (study, number));
                CREATE TABLE IF NOT EXISTS intermediate (study TEXT NOT NULL, number INTEGER NOT NULL, epoch INTEGER NOT NULL,
                    value DOUBLE PRECISION NOT NULL, PRIMARY KEY (study, number, epoch));
                DO $$ BEGIN
                    -- Only when missing: ALTER TABLE takes an exclusive lock and needs the table's owner even when there is nothing to add.
                    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'studies'
                        AND column_name = 'objectives') THEN ALTER TABLE studies ADD COLUMN objectives TEXT; END IF;
                    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'trials'
                        AND column_name = 'objective_values') THEN ALTER TABLE trials ADD COLUMN objective_values TEXT; END IF;
                END $$;
                SELECT pg_advisory_unlock(7461329);
                """);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            throw new RecipeException($"Study store 'postgres:…' cannot be opened: {e.Message}");
        }
    }

    /// <inheritdoc />
    public void EnsureStudy(string study, string objective, bool maximize, string spaceJson, IReadOnlyList<StudyObjective>? objectives = null)
    {
        using var connection = source.OpenConnection();
        Execute(connection, """
            INSERT INTO studies (name, objective, maximize, space, objectives) VALUES (@name, @objective, @maximize, @space, @objectives) ON CONFLICT (name) DO NOTHING
            """, ("name", study), ("objective", objective), ("maximize", maximize), ("space", spaceJson),
            ("objectives", (object?)StudyStoreRows.ObjectivesJson(objectives) ?? DBNull.Value));
        using (var read = Command(connection, "SELECT objectives FROM studies WHERE name = @name", ("name", study)))
            StudyStoreRows.CheckObjectives(study, read.ExecuteScalar() as string, objectives);
        if (Study(study) is not { } existing || existing.Objective != objective || existing.Maximize != maximize || existing.SpaceJson != spaceJson)
            throw new RecipeException($"Study '{study}' already exists with another objective, direction or space; " +
                                      "give this search its own Search:Study name, or --storage elsewhere.");
    }

    /// <inheritdoc />
    public (string Objective, bool Maximize, string SpaceJson)? Study(string study)
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, "SELECT objective, maximize, space FROM studies WHERE name = @name", ("name", study));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetBoolean(1), reader.GetString(2)) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyObjective>? Objectives(string study)
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, "SELECT objectives FROM studies WHERE name = @name", ("name", study));
        return command.ExecuteScalar() is string json ? StudyStoreRows.Objectives(json) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Studies()
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, "SELECT name FROM studies ORDER BY created_at, name");
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    /// <inheritdoc />
    public TrialRecord? StartTrial(string study, int budget, string worker, TimeSpan staleAfter,
        Func<int, IReadOnlyList<TrialRecord>, (IReadOnlyDictionary<string, string> Parameters, double[] Point)> sample)
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "SELECT name FROM studies WHERE name = @study FOR UPDATE", ("study", study));
        Execute(connection, """
            UPDATE trials SET state = 'Failed', ended_at = now(), failure = 'its worker stopped reporting (killed or crashed)'
            WHERE study = @study AND state = 'Running' AND heartbeat_at < now() - @stale
            """, ("study", study), ("stale", staleAfter));
        var trials = Trials(connection, study);
        if (trials.Count(t => t.State is TrialState.Complete or TrialState.Pruned or TrialState.Running) >= budget)
        {
            transaction.Commit(); // the stale trials' update stands
            return null;
        }
        if (trials.Where(t => t.State == TrialState.Interrupted).MinBy(t => t.Number) is { } interrupted)
        {
            Execute(connection, """
                UPDATE trials SET state = 'Running', worker = @worker, heartbeat_at = now(), ended_at = NULL, failure = NULL
                WHERE study = @study AND number = @number AND state = 'Interrupted'
                """, ("worker", worker), ("study", study), ("number", interrupted.Number));
            transaction.Commit();
            return interrupted with { State = TrialState.Running, Worker = worker, EndedAt = null, Failure = null };
        }
        var number = trials.Count == 0 ? 0 : trials.Max(t => t.Number) + 1;
        var (parameters, point) = sample(number, trials);
        // The server's clock for every timestamp, so workers on machines with skewed clocks agree on staleness.
        using var insert = Command(connection, """
            INSERT INTO trials (study, number, state, params, point, started_at, heartbeat_at, worker)
            VALUES (@study, @number, 'Running', @params, @point, now(), now(), @worker) RETURNING started_at
            """, ("study", study), ("number", number), ("params", JsonSerializer.Serialize(parameters)), ("point", JsonSerializer.Serialize(point)),
            ("worker", worker));
        var started = (DateTime)insert.ExecuteScalar()!;
        transaction.Commit();
        return new TrialRecord(number, TrialState.Running, parameters, point, null, null, new DateTimeOffset(started, TimeSpan.Zero), null, null, worker);
    }

    /// <inheritdoc />
    public void Heartbeat(string study, int number) =>
        Execute(null, "UPDATE trials SET heartbeat_at = now() WHERE study = @study AND number = @number", ("study", study), ("number", number));

    /// <inheritdoc />
    public void SetRunDirectory(string study, int number, string runDirectory) =>
        Execute(null, "UPDATE trials SET run_dir = @dir WHERE study = @study AND number = @number", ("dir", runDirectory), ("study", study), ("number", number));

    /// <inheritdoc />
    public void Report(string study, int number, int epoch, double value) =>
        Execute(null, """
            INSERT INTO intermediate VALUES (@study, @number, @epoch, @value) ON CONFLICT (study, number, epoch) DO UPDATE SET value = excluded.value;
            UPDATE trials SET heartbeat_at = now() WHERE study = @study AND number = @number;
            """, ("study", study), ("number", number), ("epoch", epoch), ("value", value));

    /// <inheritdoc />
    public void Finish(string study, int number, TrialState state, double? value, string? failure, double[]? values = null) =>
        Execute(null, """
            UPDATE trials SET state = @state, value = @value, failure = @failure, ended_at = now(), objective_values = @values WHERE study = @study AND number = @number
            """, ("state", state.ToString()), ("value", (object?)value ?? DBNull.Value), ("failure", (object?)failure ?? DBNull.Value),
            ("values", StudyStoreRows.ValuesJson(values)), ("study", study), ("number", number));

    /// <inheritdoc />
    public IReadOnlyList<TrialRecord> Trials(string study)
    {
        using var connection = source.OpenConnection();
        return Trials(connection, study);
    }

    /// <inheritdoc />
    public IReadOnlyList<double> ValuesAt(string study, int epoch, int exceptTrial, bool includeUnfinished = false)
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, $"""
            SELECT i.value FROM intermediate i JOIN trials t ON t.study = i.study AND t.number = i.number
            WHERE i.study = @study AND i.epoch = @epoch AND i.number <> @except AND t.state IN ({(includeUnfinished ? "'Complete', 'Pruned', 'Running'" : "'Complete'")})
            """, ("study", study), ("epoch", epoch), ("except", exceptTrial));
        using var reader = command.ExecuteReader();
        var values = new List<double>();
        while (reader.Read()) values.Add(reader.GetDouble(0));
        return values;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<int, IReadOnlyList<(int Epoch, double Value)>> ReportedValues(string study)
    {
        using var connection = source.OpenConnection();
        using var command = Command(connection, "SELECT number, epoch, value FROM intermediate WHERE study = @study ORDER BY number, epoch", ("study", study));
        using var reader = command.ExecuteReader();
        return StudyStoreRows.ReportedValues(reader);
    }

    /// <inheritdoc />
    public void Dispose() => source.Dispose();

    private static List<TrialRecord> Trials(NpgsqlConnection connection, string study)
    {
        using var command = Command(connection, $"SELECT {StudyStoreRows.TrialColumns} FROM trials WHERE study = @study ORDER BY number", ("study", study));
        using var reader = command.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read())
            trials.Add(new TrialRecord(
                reader.GetInt32(0), Enum.Parse<TrialState>(reader.GetString(1)),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2))!, JsonSerializer.Deserialize<double[]>(reader.GetString(3))!,
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetString(9), StudyStoreRows.Values(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11)));
        return trials;
    }

    private void Execute(NpgsqlConnection? connection, string sql, params (string Name, object Value)[] parameters)
    {
        if (connection is null)
        {
            using var owned = source.OpenConnection();
            using var command = Command(owned, sql, parameters);
            command.ExecuteNonQuery();
            return;
        }
        using var shared = Command(connection, sql, parameters);
        shared.ExecuteNonQuery();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
