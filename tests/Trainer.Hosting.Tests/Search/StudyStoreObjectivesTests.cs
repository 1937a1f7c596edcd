using Microsoft.Data.Sqlite;
using Npgsql;
using Trainer.Hosting.Tests.Support;
using Trainer.Recipes;
using Trainer.Search;

namespace Trainer.Hosting.Tests.Search;

/// <summary>Multi-objective studies in every store: the objectives and each trial's vector round-trip, and an old database gains the columns.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class StudyStoreObjectivesTests(string kind) : StudyStoreFixture(kind, "s")
{
    // The schema before multi-objective studies, as both stores created it.
    private const string OldSchema = """
        CREATE TABLE studies (name TEXT PRIMARY KEY, objective TEXT NOT NULL, maximize {0} NOT NULL, space TEXT NOT NULL, created_at {1} NOT NULL{4});
        CREATE TABLE trials (study TEXT NOT NULL, number INTEGER NOT NULL, state TEXT NOT NULL, params TEXT NOT NULL, point TEXT NOT NULL, value {2},
            run_dir TEXT, started_at {1} NOT NULL, ended_at {1}, heartbeat_at {1} NOT NULL, worker TEXT NOT NULL, failure TEXT, PRIMARY KEY (study, number));
        CREATE TABLE intermediate (study TEXT NOT NULL, number INTEGER NOT NULL, epoch INTEGER NOT NULL, value {2} NOT NULL, PRIMARY KEY (study, number, epoch));
        INSERT INTO studies VALUES ('old', 'val_accuracy', {3}, '[]', '2026-01-01T00:00:00Z');
        INSERT INTO trials VALUES ('old', 0, 'Complete', '{{}}', '[0.5]', 0.75, NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', '2026-01-01T00:01:00Z', 'w', NULL);
        """;

    private static readonly StudyObjective[] TwoObjectives = [new("val_accuracy", true), new("parameter_count", false)];

    private string? schema;

    /// <summary>In the migration test, the old database's own schema.</summary>
    protected override string PostgresConnectionString => PostgresConnection(schema);

    [TearDown]
    public void DropOldSchema()
    {
        if (schema is not null) Postgres(null, $"DROP SCHEMA {schema} CASCADE");
        schema = null;
    }

    private static string PostgresConnection(string? searchPath) =>
        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES")) { SearchPath = searchPath }.ConnectionString;

    private static void Postgres(string? searchPath, string sql)
    {
        using var connection = new NpgsqlConnection(PostgresConnection(searchPath));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static (IReadOnlyDictionary<string, string>, double[]) Sample(int number, IReadOnlyList<TrialRecord> trials) =>
        (new Dictionary<string, string> { ["Model:Hidden:0"] = "8" }, [0.25]);

    [Test]
    public void TheObjectivesAndEachTrialsVectorRoundTrip()
    {
        using (var store = Open())
        {
            store.EnsureStudy(StudyName, "val_accuracy", true, "[]", TwoObjectives);
            var trial = store.StartTrial(StudyName, 2, "w", TimeSpan.FromMinutes(5), Sample)!;
            store.Finish(StudyName, trial.Number, TrialState.Complete, 0.9, null, [0.9, 626]);
            var single = StudyName + "-single";
            store.EnsureStudy(single, "val_loss", false, "[]");
            Assert.That(store.Objectives(single), Is.Null, "a single-objective study stores none");
        }

        using var reopened = Open();
        Assert.That(reopened.Objectives(StudyName), Is.EqualTo(TwoObjectives));
        var stored = reopened.Trials(StudyName).Single();
        Assert.That((stored.Value, stored.Values), Is.EqualTo((0.9, new[] { 0.9, 626.0 })));
        Assert.That(() => reopened.EnsureStudy(StudyName, "val_accuracy", true, "[]", TwoObjectives), Throws.Nothing);
        Assert.That(() => reopened.EnsureStudy(StudyName, "val_accuracy", true, "[]"),
            Throws.InstanceOf<RecipeException>().With.Message.StartsWith($"Study '{StudyName}' already exists with maximize val_accuracy, minimize parameter_count, " +
                                                                          "but Search:Objectives asks for a single objective"));
    }

    [Test]
    public void AnOldDatabaseGainsTheColumnsAndKeepsItsStudies()
    {
        if (Kind == "sqlite")
        {
            using var connection = new SqliteConnection($"Data Source={SqliteFile};Pooling=false");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, OldSchema, "INTEGER", "TEXT", "REAL", "1", "");
            command.ExecuteNonQuery();
        }
        else
        {
            schema = $"old_{Guid.NewGuid():N}";
            Postgres(null, $"CREATE SCHEMA {schema}");
            Postgres(schema, string.Format(System.Globalization.CultureInfo.InvariantCulture, OldSchema, "BOOLEAN", "TIMESTAMPTZ", "DOUBLE PRECISION", "TRUE",
                " DEFAULT now()"));
        }

        using (var store = Open())
        {
            Assert.That(store.Study("old"), Is.EqualTo(("val_accuracy", true, "[]")));
            Assert.That(store.Objectives("old"), Is.Null);
            Assert.That(store.Trials("old").Single(), Has.Property(nameof(TrialRecord.Value)).EqualTo(0.75).And.Property(nameof(TrialRecord.Values)).Null);
            store.EnsureStudy("old", "val_accuracy", true, "[]");
            store.EnsureStudy(StudyName, "val_accuracy", true, "[]", TwoObjectives);
            var trial = store.StartTrial(StudyName, 1, "w", TimeSpan.FromMinutes(5), Sample)!;
            store.Finish(StudyName, trial.Number, TrialState.Complete, 0.5, null, [0.5, 100]);
        }

        using var again = Open(); // opening a migrated database again changes nothing
        Assert.That(again.Trials(StudyName).Single().Values, Is.EqualTo(new[] { 0.5, 100.0 }));
        Assert.That(again.Objectives(StudyName), Is.EqualTo(TwoObjectives));
    }
}
