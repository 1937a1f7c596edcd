using System.Collections.Concurrent;
using Npgsql;
using Trainer.Agent.Queue;

namespace Trainer.Agent.Tests.Queue;

/// <summary>
/// The same contract for both run queues. PostgreSQL runs where TRAINER_TEST_POSTGRES holds a connection string (.ci/run
/// starts a server and sets it); each test gets its own table there, and its own file with SQLite.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class RunQueueTests(string kind)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private TempFolder? folder;
    private string table = "";

    private static string? Postgres => Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES");

    /// <summary>A new queue instance on this test's file or table (several instances share it, like several agents).</summary>
    private IRunQueue Open() => kind == "sqlite" ? new SqliteRunQueue(folder!.File("queue.db")) : new PostgresRunQueue(Postgres!, table);

    [SetUp]
    public void SetUp()
    {
        if (kind == "postgres" && string.IsNullOrEmpty(Postgres))
            Assert.Ignore("Set TRAINER_TEST_POSTGRES to a PostgreSQL connection string (.ci/run starts a server and sets it).");
        folder = new TempFolder();
        table = $"queue_test_{Guid.NewGuid():N}";
    }

    [TearDown]
    public void TearDown()
    {
        folder?.Dispose();
        if (kind != "postgres" || string.IsNullOrEmpty(Postgres)) return;
        using var connection = new NpgsqlConnection(Postgres);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}", connection);
        drop.ExecuteNonQuery();
    }

    private static QueueSubmission Recipe(string name, int priority = 0) =>
        new(name, $$"""{"Name": "{{name}}"}""", ["--Training:Epochs=2"], priority, "/recipes/" + name + ".json");

    private static RunOutcomeReport Completed(double seconds) => new(QueuedRunState.Completed, 0, 123_456, seconds);

    [Test]
    public void SubmitStoresTheRecipeItsOverridesPriorityAndPath()
    {
        using var queue = Open();
        var submission = new QueueSubmission("mnist", """{"Name": "mnist"}""", ["--Training:Epochs=5", "--Optimizer:LearningRate=0.01"], 3, "/r/mnist.json");

        var submitted = queue.Submit(submission);
        var stored = queue.Get(submitted.Id)!;

        Assert.That(stored.Submission.Name, Is.EqualTo("mnist"));
        Assert.That(stored.Submission.RecipeJson, Is.EqualTo("""{"Name": "mnist"}"""));
        Assert.That(stored.Submission.Overrides, Is.EqualTo(new[] { "--Training:Epochs=5", "--Optimizer:LearningRate=0.01" }));
        Assert.That(stored.Submission.Priority, Is.EqualTo(3));
        Assert.That(stored.Submission.RecipePath, Is.EqualTo("/r/mnist.json"));
        Assert.That(stored.State, Is.EqualTo(QueuedRunState.Queued));
        Assert.That(stored.SubmittedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        Assert.That((stored.Agent, stored.HeartbeatAt, stored.StartedAt, stored.Attempts, stored.CancelRequested), Is.EqualTo(((string?)null, (DateTimeOffset?)null, (DateTimeOffset?)null, 0, false)));
        Assert.That(queue.Submit(Recipe("second")).Id, Is.GreaterThan(submitted.Id));
        Assert.That(queue.Get(submitted.Id + 1000), Is.Null);
    }

    [Test]
    public void ASubmissionWithoutANameIsRefusedAndNothingIsQueued()
    {
        using var queue = Open();

        Assert.That(() => queue.Submit(Recipe(" ")), Throws.ArgumentException);
        Assert.That(queue.List(), Is.Empty);
        Assert.That(queue.Claim("agent-a"), Is.Null);
    }

    [Test]
    public void ClaimTakesTheHighestPriorityFirstAndEqualPrioritiesInSubmissionOrder()
    {
        using var queue = Open();
        var low = queue.Submit(Recipe("low", -1));
        var first = queue.Submit(Recipe("first"));
        var urgent = queue.Submit(Recipe("urgent", 5));
        var second = queue.Submit(Recipe("second"));

        var order = Enumerable.Range(0, 4).Select(_ => queue.Claim("agent-a")!.Id).ToList();

        Assert.That(order, Is.EqualTo(new[] { urgent.Id, first.Id, second.Id, low.Id }));
        Assert.That(queue.Claim("agent-a"), Is.Null);
    }

    [Test]
    public void ClaimTakesInterruptedRunsBeforeQueuedOnesOldestInterruptionFirst()
    {
        using var queue = Open();
        var a = queue.Submit(Recipe("a"));
        var b = queue.Submit(Recipe("b"));
        Assert.That(queue.Claim("agent-a")!.Id, Is.EqualTo(a.Id));
        Assert.That(queue.Claim("agent-a")!.Id, Is.EqualTo(b.Id));
        var urgent = queue.Submit(Recipe("urgent", 10));
        Assert.That(queue.Release(b.Id, "agent-a", 1), Is.True);
        Assert.That(queue.Release(a.Id, "agent-a", 1), Is.True);

        var order = Enumerable.Range(0, 3).Select(_ => queue.Claim("agent-b")!.Id).ToList();

        Assert.That(order, Is.EqualTo(new[] { b.Id, a.Id, urgent.Id }));
    }

    [Test]
    public void ClaimMarksTheRunRunningForTheAgentWithAFreshHeartbeatAndClearsTheLastMessage()
    {
        using var queue = Open();
        var id = queue.Submit(Recipe("a")).Id;
        var first = queue.Claim("agent-a")!;
        Assert.That(queue.Release(id, "agent-a", 2, "agent stopping for maintenance"), Is.True);
        Assert.That(queue.Get(id)!.Message, Is.EqualTo("agent stopping for maintenance"));

        var claimed = queue.Claim("agent-b")!;

        Assert.That(claimed.Id, Is.EqualTo(id));
        Assert.That(claimed.State, Is.EqualTo(QueuedRunState.Running));
        Assert.That(claimed.Agent, Is.EqualTo("agent-b"));
        Assert.That(claimed.HeartbeatAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        Assert.That(claimed.HeartbeatAt, Is.GreaterThanOrEqualTo(first.HeartbeatAt!.Value));
        Assert.That(claimed.StartedAt, Is.EqualTo(first.StartedAt), "the first start stays");
        Assert.That(claimed.Attempts, Is.EqualTo(2));
        Assert.That(claimed.Message, Is.Null);
        Assert.That(queue.Get(id)! with { Submission = claimed.Submission }, Is.EqualTo(claimed), "the claim returns the run as stored");
    }

    [Test]
    public void SeveralAgentsClaimingAtOnceTakeEveryRunExactlyOnce()
    {
        using (var setup = Open())
            for (var i = 0; i < 50; i++) setup.Submit(Recipe($"run{i}", i % 3));
        using var first = Open();
        using var second = Open();
        var claims = new ConcurrentBag<(long Id, string Agent)>();
        using var start = new Barrier(6);

        // Own threads, not pool ones: the barrier would hold the few pool threads a small machine starts with.
        var agents = Enumerable.Range(0, 6).Select(a => Task.Factory.StartNew(() =>
        {
            var queue = a % 2 == 0 ? first : second;
            var agent = $"agent-{a}";
            start.SignalAndWait();
            while (queue.Claim(agent) is { } run)
            {
                claims.Add((run.Id, agent));
                Assert.That(queue.Finish(run.Id, agent, Completed(0.5)), Is.True, $"run {run.Id} is still {agent}'s");
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.That(Task.WaitAll(agents, TimeSpan.FromMinutes(2)), Is.True, "the agents finished the queue");

        using var check = Open();
        var runs = check.List();
        Assert.That(claims.Select(c => c.Id).Order(), Is.EqualTo(runs.Select(r => r.Id).Order()), "every run claimed once, none lost");
        Assert.That(runs, Has.Count.EqualTo(50));
        Assert.That(runs.Select(r => (r.State, r.Attempts)), Is.All.EqualTo((QueuedRunState.Completed, 1)));
        Assert.That(runs.Select(r => r.Agent), Is.EqualTo(runs.Select(r => claims.Single(c => c.Id == r.Id).Agent)));
    }

    [Test]
    public void HeartbeatContinuesForTheHolderSaysCancelOnceAskedAndLostToAnyoneElse()
    {
        using var queue = Open();
        var id = queue.Submit(Recipe("a")).Id;
        Assert.That(queue.Heartbeat(id, "agent-a"), Is.EqualTo(HeartbeatReply.Lost), "not claimed yet");
        var claimed = queue.Claim("agent-a")!;

        Assert.That(queue.Heartbeat(id, "agent-a"), Is.EqualTo(HeartbeatReply.Continue));
        Assert.That(queue.Get(id)!.HeartbeatAt, Is.GreaterThanOrEqualTo(claimed.HeartbeatAt!.Value));
        Assert.That(queue.Heartbeat(id, "agent-b"), Is.EqualTo(HeartbeatReply.Lost));
        Assert.That(queue.Heartbeat(id + 1000, "agent-a"), Is.EqualTo(HeartbeatReply.Lost));

        Assert.That(queue.Cancel(id), Is.True);
        Assert.That(queue.Get(id)!.State, Is.EqualTo(QueuedRunState.Running), "the agent stops it");
        Assert.That(queue.Get(id)!.CancelRequested, Is.True);
        Assert.That(queue.Heartbeat(id, "agent-a"), Is.EqualTo(HeartbeatReply.Cancel));

        Assert.That(queue.Finish(id, "agent-a", new RunOutcomeReport(QueuedRunState.Cancelled, 130, null, 1.5, "cancelled by a user")), Is.True);
        Assert.That(queue.Heartbeat(id, "agent-a"), Is.EqualTo(HeartbeatReply.Lost), "finished");
        Assert.That(queue.Get(id)!.State, Is.EqualTo(QueuedRunState.Cancelled));
    }

    [Test]
    public void CancelEndsAQueuedOrInterruptedRunAtOnceAndRefusesAFinishedOrUnknownOne()
    {
        using var queue = Open();
        var queued = queue.Submit(Recipe("queued")).Id;
        var interrupted = queue.Submit(Recipe("interrupted", 1)).Id;
        var finished = queue.Submit(Recipe("finished", 2)).Id;
        Assert.That(queue.Claim("agent-a")!.Id, Is.EqualTo(finished));
        Assert.That(queue.Finish(finished, "agent-a", Completed(1)), Is.True);
        Assert.That(queue.Claim("agent-a")!.Id, Is.EqualTo(interrupted));
        Assert.That(queue.Release(interrupted, "agent-a", 1), Is.True);

        Assert.That(queue.Cancel(queued), Is.True);
        Assert.That(queue.Cancel(interrupted), Is.True);
        Assert.That(queue.Cancel(finished), Is.False);
        Assert.That(queue.Cancel(finished + 1000), Is.False);

        foreach (var id in new[] { queued, interrupted })
        {
            var run = queue.Get(id)!;
            Assert.That(run.State, Is.EqualTo(QueuedRunState.Cancelled));
            Assert.That(run.FinishedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        }
        Assert.That(queue.Get(finished)!.State, Is.EqualTo(QueuedRunState.Completed));
        Assert.That(queue.Claim("agent-a"), Is.Null, "cancelled runs are not claimed");
    }

    [Test]
    public void FinishRecordsTheOutcomeOnlyForTheHoldingAgentAndDurationAddsUpOverAttempts()
    {
        using var queue = Open();
        var id = queue.Submit(Recipe("a")).Id;
        queue.Claim("agent-a");
        Assert.That(queue.Release(id, "agent-a", 3), Is.True);
        queue.Claim("agent-b");

        Assert.That(queue.Finish(id, "agent-a", Completed(100)), Is.False, "agent-a no longer holds it");
        Assert.That(queue.Release(id, "agent-a", 100), Is.False);
        Assert.That(queue.Get(id)!.State, Is.EqualTo(QueuedRunState.Running));
        Assert.That(queue.Get(id)!.DurationSeconds, Is.EqualTo(3));

        Assert.That(queue.Finish(id, "agent-b", new RunOutcomeReport(QueuedRunState.Failed, 2, 4096, 2.5, "Data:Path missing")), Is.True);
        var run = queue.Get(id)!;
        Assert.That((run.State, run.ExitCode, run.PeakMemoryBytes, run.DurationSeconds, run.Message),
            Is.EqualTo((QueuedRunState.Failed, (int?)2, (long?)4096, (double?)5.5, "Data:Path missing")));
        Assert.That(run.FinishedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        Assert.That(queue.Finish(id, "agent-b", Completed(1)), Is.False, "already finished");
        Assert.That(() => queue.Finish(id, "agent-b", new RunOutcomeReport(QueuedRunState.Running, 0, null, 1)), Throws.ArgumentException);
    }

    [Test]
    public void ReleaseKeepsTheRunDirectoryAndAttemptsSoTheNextAgentResumesIntoIt()
    {
        using var queue = Open();
        var id = queue.Submit(Recipe("a")).Id;
        queue.Claim("agent-a");
        queue.SetRunDirectory(id, "agent-a", "/runs/a-20260101");
        queue.SetRunDirectory(id, "agent-b", "/runs/elsewhere");

        Assert.That(queue.Release(id, "agent-a", 4.5), Is.True);
        var released = queue.Get(id)!;
        Assert.That((released.State, released.RunDirectory, released.Attempts, released.DurationSeconds, released.Message),
            Is.EqualTo((QueuedRunState.Interrupted, "/runs/a-20260101", 1, (double?)4.5, "agent agent-a stopped before the run ended")));
        Assert.That(released.FinishedAt, Is.Null);

        var resumed = queue.Claim("agent-b")!;
        Assert.That((resumed.Id, resumed.RunDirectory, resumed.Attempts), Is.EqualTo((id, "/runs/a-20260101", 2)));
    }

    [Test]
    public void RequeueStalePutsBackOnlyRunsWhoseHeartbeatIsOlderThanTheGrace()
    {
        using var queue = Open();
        var id = queue.Submit(Recipe("a")).Id;
        var claimed = queue.Claim("agent-a")!;
        Assert.That(queue.RequeueStale(TimeSpan.FromMinutes(5)), Is.Zero, "its heartbeat is fresh");

        var deadline = DateTime.UtcNow + Deadline;
        var requeued = 0;
        while (requeued == 0 && DateTime.UtcNow < deadline) requeued = queue.RequeueStale(TimeSpan.FromMilliseconds(200));

        Assert.That(requeued, Is.EqualTo(1));
        var run = queue.Get(id)!;
        Assert.That(run.State, Is.EqualTo(QueuedRunState.Interrupted));
        Assert.That(run.Message, Does.StartWith("agent agent-a stopped sending heartbeats at " + claimed.HeartbeatAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss",
            System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(queue.Heartbeat(id, "agent-a"), Is.EqualTo(HeartbeatReply.Lost), "the silent agent learns it lost the run");
        Assert.That(queue.Finish(id, "agent-a", Completed(1)), Is.False);
        Assert.That(queue.Claim("agent-b")!.Attempts, Is.EqualTo(2));
    }

    [Test]
    public void RequeueAgentPutsBackEveryRunOfThatAgentAndNoOther()
    {
        using var queue = Open();
        var a1 = queue.Submit(Recipe("a1")).Id;
        var a2 = queue.Submit(Recipe("a2")).Id;
        var b = queue.Submit(Recipe("b")).Id;
        queue.Claim("agent-a");
        queue.Claim("agent-a");
        queue.Claim("agent-b");

        Assert.That(queue.RequeueAgent("agent-a"), Is.EqualTo(2));

        foreach (var id in new[] { a1, a2 })
            Assert.That((queue.Get(id)!.State, queue.Get(id)!.Message), Is.EqualTo((QueuedRunState.Interrupted, "agent agent-a restarted")));
        Assert.That(queue.Get(b)!.State, Is.EqualTo(QueuedRunState.Running));
        Assert.That(queue.RequeueAgent("agent-a"), Is.Zero);
    }

    [Test]
    public void ARunCancelledWhileRunningEndsCancelledWhenItsAgentStopsInsteadOfWaitingToResume()
    {
        using var queue = Open();
        var released = queue.Submit(Recipe("released")).Id;
        var dead = queue.Submit(Recipe("dead")).Id;
        queue.Claim("agent-a");
        queue.Claim("agent-b");
        queue.Cancel(released);
        queue.Cancel(dead);

        Assert.That(queue.Release(released, "agent-a", 1), Is.True);
        Assert.That(queue.RequeueAgent("agent-b"), Is.EqualTo(1));

        foreach (var id in new[] { released, dead })
        {
            var run = queue.Get(id)!;
            Assert.That(run.State, Is.EqualTo(QueuedRunState.Cancelled));
            Assert.That(run.FinishedAt, Is.Not.Null);
        }
        Assert.That(queue.Claim("agent-c"), Is.Null);
    }

    [Test]
    public void ListShowsWaitingRunsInClaimOrderThenRunningThenFinishedNewestFirst()
    {
        using var queue = Open();
        var ids = Enumerable.Range(0, 7).Select(i => queue.Submit(Recipe($"r{i}", i == 5 ? 1 : 0)).Id).ToArray();
        // r5 (priority 1) and r0 are claimed; r0 finishes, then r1 and r2 are claimed, r1 finishes, r2 is released.
        Assert.That(queue.Claim("agent")!.Id, Is.EqualTo(ids[5]));
        Assert.That(queue.Claim("agent")!.Id, Is.EqualTo(ids[0]));
        queue.Finish(ids[0], "agent", Completed(1));
        queue.Claim("agent");
        queue.Claim("agent");
        queue.Finish(ids[1], "agent", Completed(1));
        queue.Release(ids[2], "agent", 1);
        var urgent = queue.Submit(Recipe("urgent", 9)).Id;

        Assert.That(queue.List().Select(r => r.Id), Is.EqualTo(new[] { ids[2], urgent, ids[3], ids[4], ids[6], ids[5], ids[1], ids[0] }));
        Assert.That(queue.List(includeFinished: false).Select(r => r.Id), Is.EqualTo(new[] { ids[2], urgent, ids[3], ids[4], ids[6], ids[5] }));
    }
}
