using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Trainer.Recipes;
using Trainer.Search;

namespace Trainer.Search;

/// <summary>
/// A study store in one SQLite file, safe for several worker processes on one machine: WAL journal, a busy timeout,
/// short transactions, and trial numbering inside a write-locked (IMMEDIATE) transaction so no two workers take one
/// number.
/// </summary>
public sealed class SqliteStudyStore : IStudyStore
{
    private readonly SqliteConnection connection;

    /// <summary>Opens (and creates) the store at <paramref name="path"/>.</summary>
    public SqliteStudyStore(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            connection.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;");
            Execute("""
                CREATE TABLE IF NOT EXISTS studies (name TEXT PRIMARY KEY, objective TEXT NOT NULL, maximize INTEGER NOT NULL,
                    space TEXT NOT NULL, created_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS trials (study TEXT NOT NULL, number INTEGER NOT NULL, state TEXT NOT NULL,
                    params TEXT NOT NULL, point TEXT NOT NULL, value REAL, run_dir TEXT, started_at TEXT NOT NULL, ended_at TEXT,
                    heartbeat_at TEXT NOT NULL, worker TEXT NOT NULL, failure TEXT, PRIMARY KEY (study, number));
                CREATE TABLE IF NOT EXISTS intermediate (study TEXT NOT NULL, number INTEGER NOT NULL, epoch INTEGER NOT NULL,
                    value REAL NOT NULL, PRIMARY KEY (study, number, epoch));
                """);
            AddMissingColumns();
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new RecipeException($"Study store '{full}' cannot be opened: {e.Message}");
        }
    }

    /// <summary>
    /// Adds the columns later versions introduced to a database an earlier version created (multi-objective studies:
    /// studies.objectives, trials.objective_values), under the write lock so workers opening together add each once.
    /// </summary>
    private void AddMissingColumns()
    {
        // Read first without a lock: an up-to-date database (the usual case) is opened without taking the write lock.
        using (var present = Command("""
            SELECT (SELECT COUNT(*) FROM pragma_table_info('studies') WHERE name = 'objectives')
                 + (SELECT COUNT(*) FROM pragma_table_info('trials') WHERE name = 'objective_values')
            """))
            if ((long)present.ExecuteScalar()! == 2) return;
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (table, column) in new[] { ("studies", "objectives"), ("trials", "objective_values") })
        {
            using var columns = Command($"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'");
            columns.Transaction = transaction;
            if ((long)columns.ExecuteScalar()! > 0) continue;
            using var alter = Command($"ALTER TABLE {table} ADD COLUMN {column} TEXT");
            alter.Transaction = transaction;
            alter.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <inheritdoc />
    public void EnsureStudy(string study, string objective, bool maximize, string spaceJson, IReadOnlyList<StudyObjective>? objectives = null)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var read = Command("SELECT objective, maximize, space, objectives FROM studies WHERE name = $name", ("$name", study));
        read.Transaction = transaction;
        using (var reader = read.ExecuteReader())
        {
            if (reader.Read())
            {
                var (o, m, s) = (reader.GetString(0), reader.GetInt64(1) == 1, reader.GetString(2));
                StudyStoreRows.CheckObjectives(study, reader.IsDBNull(3) ? null : reader.GetString(3), objectives);
                if (o != objective || m != maximize || s != spaceJson)
                    throw new RecipeException($"Study '{study}' already exists with another objective, direction or space; " +
                                              "give this search its own Search:Study name, or --storage elsewhere.");
                return;
            }
        }
        using var insert = Command("INSERT INTO studies (name, objective, maximize, space, created_at, objectives) VALUES ($name, $objective, $maximize, $space, $created, $objectives)",
            ("$name", study), ("$objective", objective), ("$maximize", maximize ? 1 : 0), ("$space", spaceJson), ("$created", Now()),
            ("$objectives", (object?)StudyStoreRows.ObjectivesJson(objectives) ?? DBNull.Value));
        insert.Transaction = transaction;
        insert.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <inheritdoc />
    public (string Objective, bool Maximize, string SpaceJson)? Study(string study)
    {
        using var command = Command("SELECT objective, maximize, space FROM studies WHERE name = $name", ("$name", study));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt64(1) == 1, reader.GetString(2)) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyObjective>? Objectives(string study)
    {
        using var command = Command("SELECT objectives FROM studies WHERE name = $name", ("$name", study));
        return command.ExecuteScalar() is string json ? StudyStoreRows.Objectives(json) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Studies()
    {
        using var command = Command("SELECT name FROM studies ORDER BY created_at, name");
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    /// <inheritdoc />
    public TrialRecord? StartTrial(string study, int budget, string worker, TimeSpan staleAfter,
        Func<int, IReadOnlyList<TrialRecord>, (IReadOnlyDictionary<string, string> Parameters, double[] Point)> sample)
    {
        // IMMEDIATE takes the write lock at once: the read of the next number and the insert are one atomic step.
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var stale = Command("""
                   UPDATE trials SET state = 'Failed', ended_at = $now, failure = 'its worker stopped reporting (killed or crashed)'
                   WHERE study = $study AND state = 'Running' AND heartbeat_at < $cutoff
                   """, ("$study", study), ("$now", Now()), ("$cutoff", Stamp(DateTimeOffset.UtcNow - staleAfter))))
        {
            stale.Transaction = transaction;
            stale.ExecuteNonQuery();
        }
        var trials = Trials(study, transaction);
        // The stale trials' update stands even when no new trial is taken.
        if (trials.Count(t => t.State is TrialState.Complete or TrialState.Pruned or TrialState.Running) >= budget)
        {
            transaction.Commit();
            return null;
        }
        if (trials.Where(t => t.State == TrialState.Interrupted).MinBy(t => t.Number) is { } interrupted)
        {
            var resumedAt = Now();
            using var claim = Command("""
                UPDATE trials SET state = 'Running', worker = $worker, heartbeat_at = $now, ended_at = NULL, failure = NULL
                WHERE study = $study AND number = $number AND state = 'Interrupted'
                """, ("$worker", worker), ("$now", resumedAt), ("$study", study), ("$number", interrupted.Number));
            claim.Transaction = transaction;
            claim.ExecuteNonQuery();
            transaction.Commit();
            return interrupted with { State = TrialState.Running, Worker = worker, EndedAt = null, Failure = null };
        }
        // Running trials count too, so workers do not overshoot; one that fails leaves room its worker fills next.
        var number = trials.Count == 0 ? 0 : trials.Max(t => t.Number) + 1;
        var (parameters, point) = sample(number, trials);
        var now = Now();
        using var insert = Command("""
            INSERT INTO trials (study, number, state, params, point, started_at, heartbeat_at, worker)
            VALUES ($study, $number, 'Running', $params, $point, $now, $now, $worker)
            """, ("$study", study), ("$number", number), ("$params", JsonSerializer.Serialize(parameters)),
            ("$point", JsonSerializer.Serialize(point)), ("$now", now), ("$worker", worker));
        insert.Transaction = transaction;
        insert.ExecuteNonQuery();
        transaction.Commit();
        return new TrialRecord(number, TrialState.Running, parameters, point, null, null, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), null, null, worker);
    }

    /// <inheritdoc />
    public void Heartbeat(string study, int number) =>
        Run("UPDATE trials SET heartbeat_at = $now WHERE study = $study AND number = $number", ("$now", Now()), ("$study", study), ("$number", number));

    /// <inheritdoc />
    public void SetRunDirectory(string study, int number, string runDirectory) =>
        Run("UPDATE trials SET run_dir = $dir WHERE study = $study AND number = $number",
            ("$dir", runDirectory), ("$study", study), ("$number", number));

    /// <inheritdoc />
    public void Report(string study, int number, int epoch, double value)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (sql, args) in new[]
                 {
                     ("INSERT OR REPLACE INTO intermediate VALUES ($study, $number, $epoch, $value)",
                         new (string, object)[] { ("$study", study), ("$number", number), ("$epoch", epoch), ("$value", value) }),
                     ("UPDATE trials SET heartbeat_at = $now WHERE study = $study AND number = $number",
                         new (string, object)[] { ("$now", Now()), ("$study", study), ("$number", number) }),
                 })
        {
            using var command = Command(sql, args);
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <inheritdoc />
    public void Finish(string study, int number, TrialState state, double? value, string? failure, double[]? values = null) =>
        Run("""
            UPDATE trials SET state = $state, value = $value, failure = $failure, ended_at = $now, objective_values = $values WHERE study = $study AND number = $number
            """, ("$state", state.ToString()), ("$value", (object?)value ?? DBNull.Value), ("$failure", (object?)failure ?? DBNull.Value),
            ("$now", Now()), ("$values", StudyStoreRows.ValuesJson(values)), ("$study", study), ("$number", number));

    /// <inheritdoc />
    public IReadOnlyList<TrialRecord> Trials(string study) => Trials(study, null);

    /// <inheritdoc />
    public IReadOnlyList<double> ValuesAt(string study, int epoch, int exceptTrial, bool includeUnfinished = false)
    {
        using var command = Command($"""
            SELECT i.value FROM intermediate i JOIN trials t ON t.study = i.study AND t.number = i.number
            WHERE i.study = $study AND i.epoch = $epoch AND i.number <> $except AND t.state IN ({(includeUnfinished ? "'Complete', 'Pruned', 'Running'" : "'Complete'")})
            """, ("$study", study), ("$epoch", epoch), ("$except", exceptTrial));
        using var reader = command.ExecuteReader();
        var values = new List<double>();
        while (reader.Read()) values.Add(reader.GetDouble(0));
        return values;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<int, IReadOnlyList<(int Epoch, double Value)>> ReportedValues(string study)
    {
        using var command = Command("SELECT number, epoch, value FROM intermediate WHERE study = $study ORDER BY number, epoch", ("$study", study));
        using var reader = command.ExecuteReader();
        return StudyStoreRows.ReportedValues(reader);
    }

    /// <inheritdoc />
    public void Dispose() => connection.Dispose();

    private List<TrialRecord> Trials(string study, SqliteTransaction? transaction)
    {
        using var command = Command($"SELECT {StudyStoreRows.TrialColumns} FROM trials WHERE study = $study ORDER BY number", ("$study", study));
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read())
            trials.Add(new TrialRecord(
                reader.GetInt32(0), Enum.Parse<TrialState>(reader.GetString(1)),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2))!,
                JsonSerializer.Deserialize<double[]>(reader.GetString(3))!,
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                reader.IsDBNull(7) ? null : DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetString(9), StudyStoreRows.Values(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11)));
        return trials;
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Run(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandTimeout = 30;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static string Now() => Stamp(DateTimeOffset.UtcNow);

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
