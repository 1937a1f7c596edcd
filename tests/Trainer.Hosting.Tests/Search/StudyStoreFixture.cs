using Trainer.Search;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

/// <summary>
/// A test fixture run once per study store ("sqlite", "postgres"): a fresh working folder and study name per test, and
/// <see cref="Open"/> for a store of the fixture's kind. PostgreSQL runs where TRAINER_TEST_POSTGRES holds a connection
/// string; .ci/run installs and starts a server on 127.0.0.1 and sets it.
/// </summary>
/// <param name="kind">"sqlite" or "postgres".</param>
/// <param name="prefix">The start of each test's study name.</param>
public abstract class StudyStoreFixture(string kind, string prefix)
{
    private TempFolder? folder;

    /// <summary>This test's study name, unique across runs (the PostgreSQL database is shared).</summary>
    protected string StudyName { get; private set; } = "";

    /// <summary>"sqlite" or "postgres".</summary>
    protected string Kind => kind;

    /// <summary>The SQLite store's database file (in this test's working folder).</summary>
    protected string SqliteFile => folder!.File("studies.db");

    /// <summary>The PostgreSQL store's connection string: TRAINER_TEST_POSTGRES, unless a fixture points it elsewhere.</summary>
    protected virtual string PostgresConnectionString => Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES")!;

    /// <summary>A new connection to the fixture's store.</summary>
    protected IStudyStore Open() => kind == "sqlite" ? new SqliteStudyStore(SqliteFile) : new PostgresStudyStore(PostgresConnectionString);

    [SetUp]
    public void SetUpStore()
    {
        if (kind == "postgres" && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES")))
            Assert.Ignore("Set TRAINER_TEST_POSTGRES to a PostgreSQL connection string (.ci/run starts a server and sets it).");
        folder = TempFolder.AsWorkingDirectory();
        StudyName = $"{prefix}-{Guid.NewGuid():N}";
    }

    [TearDown]
    public void TearDownStore() => folder?.Dispose();
}
