using Trainer.Agent.Queue;
using Trainer.Recipes;

namespace Trainer.Agent.Tests.Queue;

/// <summary>Opening a queue from its location: the two forms, bad locations and files, and no password in <see cref="IRunQueue.Location"/>.</summary>
[TestFixture]
public sealed class RunQueuesTests
{
    private TempFolder? folder;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown() => folder?.Dispose();

    [Test]
    public void SqliteLocationCreatesTheFileAndItsFolderAndNamesTheFullPath()
    {
        var path = folder!.File(Path.Combine("agent", "state", "queue.db"));

        using (var queue = RunQueues.Open("sqlite:" + path))
        {
            Assert.That(queue, Is.TypeOf<SqliteRunQueue>());
            Assert.That(queue.Location, Is.EqualTo("sqlite:" + path));
            queue.Submit(new QueueSubmission("a", "{}", []));
        }

        Assert.That(File.Exists(path), Is.True);
        using var reopened = RunQueues.Open("sqlite:" + path);
        Assert.That(reopened.List().Select(r => r.Submission.Name), Is.EqualTo(new[] { "a" }), "the queue is durable");
    }

    [TestCase("queue.db")]
    [TestCase("redis://localhost")]
    [TestCase("sqlite:")]
    [TestCase("postgres:  ")]
    public void AnUnknownLocationIsRefusedNamingItAndBothForms(string location)
    {
        var error = Assert.Throws<RecipeException>(() => RunQueues.Open(location));

        Assert.That(error!.Message, Is.EqualTo($"Run queue '{location}' is not supported; use sqlite:PATH or postgres:CONNECTION."));
    }

    [Test]
    public void AMistypedPostgresLocationDoesNotPrintItsPassword()
    {
        var error = Assert.Throws<RecipeException>(() => RunQueues.Open("postgresql:Host=db;Username=trainer;Password=secret;Database=trainer"));

        Assert.That(error!.Message, Does.Not.Contain("secret"));
        Assert.That(error.Message, Does.Contain("'postgresql:Host=db;Username=trainer;Password=…;Database=trainer'"));
    }

    [Test]
    public void AFileThatIsNotASqliteDatabaseGivesARecipeExceptionNamingTheFile()
    {
        var path = folder!.Write("queue.db", new string('x', 4096));

        var error = Assert.Throws<RecipeException>(() => RunQueues.Open("sqlite:" + path));

        Assert.That(error!.Message, Does.StartWith($"Run queue '{path}' cannot be opened: "));
        Assert.That(error.Message, Does.Contain("not a database"));
    }

    [Test]
    public void APostgresLocationNeverShowsThePassword()
    {
        var connection = Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connection))
            Assert.Ignore("Set TRAINER_TEST_POSTGRES to a PostgreSQL connection string (.ci/run starts a server and sets it).");

        using var queue = RunQueues.Open("postgres:" + connection);

        Assert.That(queue, Is.TypeOf<PostgresRunQueue>());
        Assert.That(queue.Location, Does.StartWith("postgres:Host="));
        Assert.That(queue.Location, Does.Not.Contain("Password").IgnoreCase);
        Assert.That(queue.List(), Is.Not.Null);
    }

    [Test]
    public void AnUnreachablePostgresServerGivesARecipeExceptionWithoutThePassword()
    {
        var error = Assert.Throws<RecipeException>(() =>
            RunQueues.Open("postgres:Host=127.0.0.1;Port=1;Username=trainer;Password=secret;Database=trainer;Timeout=2"));

        Assert.That(error!.Message, Does.StartWith("Run queue 'postgres:Host=127.0.0.1;Port=1;Username=trainer;Database=trainer;Timeout=2' cannot be opened: "));
        Assert.That(error.Message, Does.Not.Contain("secret"));
    }

    [TestCase("Runs")]
    [TestCase("runs; DROP TABLE x")]
    [TestCase("")]
    public void APostgresTableNameOtherThanLowerCaseLettersDigitsAndUnderscoresIsRefusedBeforeConnecting(string table)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresRunQueue("Host=127.0.0.1;Port=1;Username=trainer;Database=trainer", table));

        Assert.That(error!.Message, Does.StartWith($"Table name '{table}' must be lower-case letters, digits and underscores, starting with a letter."));
    }
}
