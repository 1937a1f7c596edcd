using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Trainer.Agent.Queue;
using Trainer.Checkpoints;
using Trainer.Cli.Tests.Support;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary><c>trainer agent</c>, <c>submit</c> and <c>queue</c> through the real program: order, crash and resume, several agents.</summary>
public sealed class AgentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    private static string Quickstart => Repository.Recipe("quickstart.json");

    private static void Submit(string folder, string queue, params string[] args)
    {
        var (code, output, error) = TrainerProcess.Run(folder, ["submit", .. args, "--queue", queue]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.StartWith("Queued q"));
    }

    private static IReadOnlyList<QueuedRun> Runs(string queue)
    {
        using var runs = RunQueues.Open(queue);
        return runs.List();
    }

    private static void AssertCompleteRunDirectory(string directory)
    {
        foreach (var file in new[] { "summary.json", "metrics.csv", "log.clef", "recipe.json", "model/model.json", "model/weights.dat" })
            Assert.That(File.Exists(Path.Combine(directory, file)), Is.True, $"{directory} has {file}");
        Assert.That(RunSummaryFile.Read(directory).Status, Is.EqualTo("completed"));
    }

    private static string[] MetricRows(string runDirectory) =>
        File.ReadLines(Path.Combine(runDirectory, "metrics.csv")).Select(l => string.Join(",", l.Split(',')[..^2])).ToArray(); // all but seconds and samples/s

    [Test]
    public void AnAgentRunsSubmittedRecipesByPriorityThenInSubmissionOrderEachAsACompleteRun()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, Quickstart, "--Name=first", "--Training:Epochs=1");
        Submit(folder.Path, queue, Quickstart, "--Name=second", "--Training:Epochs=1");
        Submit(folder.Path, queue, Quickstart, "--Name=urgent", "--Training:Epochs=1", "--priority", "5");
        var listed = TrainerProcess.Run(folder.Path, "queue", "--queue", queue);
        Assert.That(listed.Output, Does.Contain("3 run(s)").And.Contain("queued"));

        using var agent = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--runs", "runs", "--exit-when-idle", "--poll", "0.2");
        var (code, output, error) = agent.WaitForExit(Patience);

        Assert.That(code, Is.EqualTo(0), output + error);
        var runs = Runs(queue);
        Assert.That(runs.Select(r => r.State), Is.All.EqualTo(QueuedRunState.Completed), output);
        Assert.That(runs.OrderBy(r => r.StartedAt).Select(r => r.Submission.Name), Is.EqualTo(new[] { "urgent", "first", "second" }));
        foreach (var run in runs)
        {
            Assert.That(run.RunDirectory, Is.EqualTo(folder.File($"runs/{run.Submission.Name}-q{run.Id}")));
            AssertCompleteRunDirectory(run.RunDirectory!);
            Assert.That(run.Attempts, Is.EqualTo(1));
            Assert.That(run.PeakMemoryBytes, Is.GreaterThan(50L << 20), "a trainer process holds tens of MB at least");
            Assert.That(run.DurationSeconds, Is.GreaterThan(0));
            Assert.That(run.ExitCode, Is.EqualTo(0));
        }
        Assert.That(File.Exists(folder.File($"runs/agent-{Environment.MachineName}.clef")), Is.True, "the agent's own log");
        var all = TrainerProcess.Run(folder.Path, "queue", "--all", "--queue", queue);
        Assert.That(all.Output, Does.Contain("completed").And.Contain("urgent-q3"));
    }

    [Test]
    public void PrintUnitWritesASystemdUnitThatStartsThisAgentWithItsOptions()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "agent", "--queue", "sqlite:state/queue.db", "--runs", "my runs", "--slots", "2",
            "--agent-id", "box1", "--stop-timeout", "60", "--memory-max", "8G", "--print-unit");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("Type=notify").And.Contain("WatchdogSec=").And.Contain("MemoryMax=8G").And.Contain("NoNewPrivileges=yes"));
        var execStart = output.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        Assert.That(execStart, Does.Contain($"agent --queue sqlite:{folder.File("state/queue.db")} --runs \"{folder.File("my runs")}\" --slots 2"));
        Assert.That(execStart, Does.Contain("--agent-id box1").And.Contain("--stop-timeout 60"));
        Assert.That(output, Does.Contain("TimeoutStopSec=80"), "the stop timeout with time to spare for the agent itself");
        Assert.That(Directory.Exists(folder.File("state")), Is.False, "printing a unit opens no queue");
    }

    [Test]
    public void BadAgentOptionsAreOneLineEachAndExitTwo()
    {
        using var folder = new TempFolder();
        foreach (var (args, message) in new[]
                 {
                     (new[] { "--slots", "0" }, "--slots must be at least 1 (got 0)."),
                     (new[] { "--gpus", "0,x" }, "--gpus '0,x': 'x' is not a GPU index"),
                     (new[] { "--slots", "2", "--gpus", "0" }, "--gpus names 1 GPU(s) for 2 slot(s)"),
                     (new[] { "--heartbeat", "30", "--stale-after", "40" }, "--stale-after (40s) must be more than twice --heartbeat (30s)"),
                     (new[] { "--queue", "mysql:x" }, "Run queue 'mysql:x' is not supported"),
                 })
        {
            var (code, _, error) = TrainerProcess.Run(folder.Path, ["agent", .. args]);
            Assert.That(code, Is.EqualTo(2), string.Join(" ", args));
            Assert.That(error, Does.StartWith("error: ").And.Contain(message));
            Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        }
    }

    [Test]
    public void ARunThatFailsIsRecordedWithItsErrorAndTheAgentGoesOn()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, Quickstart, "--Name=broken", "--Training:Epochs=0");
        Submit(folder.Path, queue, Quickstart, "--Name=fine", "--Training:Epochs=1");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "agent", "--queue", queue, "--exit-when-idle", "--poll", "0.2");

        Assert.That(code, Is.EqualTo(0), output + error);
        var runs = Runs(queue).ToDictionary(r => r.Submission.Name);
        Assert.That(runs["broken"].State, Is.EqualTo(QueuedRunState.Failed));
        Assert.That(runs["broken"].ExitCode, Is.EqualTo(2));
        Assert.That(runs["broken"].Message, Does.Contain("Training:Epochs"), "the run's own one-line error");
        Assert.That(runs["fine"].State, Is.EqualTo(QueuedRunState.Completed));
    }

    [Test]
    public void ARunThatCannotFitTheAgentsMemoryIsRefusedWithBothNumbersAndTheNextOneRuns()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, Quickstart, "--Name=huge", "--Model:Hidden:0=2048", "--Model:Hidden:1=2048");
        Submit(folder.Path, queue, Quickstart, "--Name=small", "--Training:Epochs=1");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "agent", "--queue", queue, "--exit-when-idle", "--poll", "0.2", "--memory-max", "40M");

        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("in 1 slot(s) of 40 MB each"));
        var runs = Runs(queue).ToDictionary(r => r.Submission.Name);
        Assert.That(runs["huge"].State, Is.EqualTo(QueuedRunState.Failed));
        Assert.That(runs["huge"].Message, Does.Match(@"This run needs at least \d+\.\d MB .* more than Training:MemoryLimitMB 40 MB"));
        Assert.That(runs["small"].State, Is.EqualTo(QueuedRunState.Completed));
    }

    [Test]
    public void InTwoSlotsTwoRunsGoAtOnceEachWithHalfTheThreads()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, Quickstart, "--Name=left", "--Training:Epochs=3");
        Submit(folder.Path, queue, Quickstart, "--Name=right", "--Training:Epochs=3");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "agent", "--queue", queue, "--slots", "2", "--threads", "2", "--exit-when-idle", "--poll", "0.2");

        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("started in slot 1").And.Contain("started in slot 2"));
        var runs = Runs(queue);
        Assert.That(runs.Select(r => r.State), Is.All.EqualTo(QueuedRunState.Completed));
        foreach (var run in runs)
            Assert.That(File.ReadAllText(Path.Combine(run.RunDirectory!, "recipe.json")), Does.Match("\"Threads\":\\s*1\\b"), "half of --threads 2");
        Assert.That(runs.Max(r => r.StartedAt), Is.LessThan(runs.Min(r => r.FinishedAt)!.Value), "the second started before the first finished");
    }

    [Test]
    public void CancellingARunningRunStopsItAtItsNextHeartbeatWithItsCheckpointAndTheAgentGoesOn()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, [Repository.Recipe("digits-checkpoints.json"), "--Name=long", "--Training:Epochs=40", "--Model:Hidden:0=1024", "--Model:Hidden:1=1024"]);
        Submit(folder.Path, queue, Quickstart, "--Name=after", "--Training:Epochs=1");

        using var agent = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--exit-when-idle", "--poll", "0.2", "--heartbeat", "0.3");
        WaitForCheckpoint(agent, folder.File("runs/long-q1/checkpoints"), 1);
        var cancel = TrainerProcess.Run(folder.Path, "queue", "cancel", "q1", "--queue", queue);
        Assert.That(cancel.Output, Does.Contain("Cancelling q1 long: its agent stops it at its next heartbeat."));
        var (code, output, error) = agent.WaitForExit(Patience);

        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("Run q1 long cancelled by a user; stopping it"));
        var runs = Runs(queue).ToDictionary(r => r.Submission.Name);
        Assert.That(runs["long"].State, Is.EqualTo(QueuedRunState.Cancelled));
        Assert.That(RunSummaryFile.Read(folder.File("runs/long-q1")).Status, Is.EqualTo("interrupted"), "stopped as by Ctrl+C: checkpoint and summary written");
        Assert.That(RunSummaryFile.Read(folder.File("runs/long-q1")).Epochs, Is.LessThan(40));
        Assert.That(runs["after"].State, Is.EqualTo(QueuedRunState.Completed), "the agent went on with the next run");
    }

    [Test]
    public void ASecondAgentOfTheSameNameOnTheSameQueueIsRefused()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        using var first = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--agent-id", "twin", "--poll", "0.2");
        first.WaitForLine(l => l.Contains("Agent twin takes runs from", StringComparison.Ordinal), Patience, "the first agent to start");

        var (code, _, error) = TrainerProcess.Run(folder.Path, "agent", "--queue", queue, "--agent-id", "twin", "--runs", "elsewhere");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("An agent named 'twin' already takes runs from").And.Contain("give each agent its own --agent-id"));
        var other = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--agent-id", "other", "--poll", "0.2");
        using (other)
            other.WaitForLine(l => l.Contains("Agent other takes runs from", StringComparison.Ordinal), Patience, "an agent of another name to start");
    }

    [Test]
    public void CancellingAQueuedRunKeepsItFromRunningAndAFinishedOneCannotBeCancelled()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, Quickstart, "--Name=unwanted", "--Training:Epochs=1");

        var cancel = TrainerProcess.Run(folder.Path, "queue", "cancel", "q1", "--queue", queue);
        Assert.That(cancel.ExitCode, Is.EqualTo(0), cancel.Error);
        Assert.That(cancel.Output, Does.Contain("Cancelled q1 unwanted"));
        var again = TrainerProcess.Run(folder.Path, "queue", "cancel", "1", "--queue", queue);
        Assert.That(again.ExitCode, Is.EqualTo(2));
        Assert.That(again.Error, Does.Contain("already ended (cancelled)"));
        var missing = TrainerProcess.Run(folder.Path, "queue", "cancel", "q9", "--queue", queue);
        Assert.That(missing.Error, Does.Contain("There is no run q9"));

        var agent = TrainerProcess.Run(folder.Path, "agent", "--queue", queue, "--exit-when-idle", "--poll", "0.2");
        Assert.That(agent.ExitCode, Is.EqualTo(0), agent.Error);
        Assert.That(Directory.Exists(folder.File("runs/unwanted-q1")), Is.False, "a cancelled run never starts");
    }

    [Platform(Exclude = "Win", Reason = "a killed agent's run dies with it through Linux's parent-death signal")]
    [TestCase(true, TestName = "AfterTheAgentIsKilledMidRunItsNextLifeResumesTheRunToTheMetricsOfAnUninterruptedRun")]
    [TestCase(false, TestName = "AfterTheAgentIsKilledMidRunAnotherAgentFindsItsHeartbeatStaleAndResumesTheRunToTheSameMetrics")]
    public void AfterTheAgentIsKilledMidRunTheRunResumesToTheMetricsOfAnUninterruptedRun(bool sameAgent)
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        // Wide layers make each epoch take a few tenths of a second, so the run is still going when it has two checkpoints.
        string[] recipe = [Repository.Recipe("digits-checkpoints.json"), "--Training:Epochs=10", "--Model:Hidden:0=1024", "--Model:Hidden:1=1024"];
        var straight = TrainerProcess.Run(folder.Path, ["run", .. recipe, "--run-dir", "straight"]);
        Assert.That(straight.ExitCode, Is.EqualTo(0), straight.Error);
        Submit(folder.Path, queue, recipe);
        var runDirectory = folder.File("runs/digits-checkpoints-q1");

        using (var agent = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--poll", "0.2", "--heartbeat", "0.5", "--stale-after", "30", "--stop-timeout", "20"))
        {
            WaitForCheckpoint(agent, Path.Combine(runDirectory, "checkpoints"), 2);
            agent.KillHard();
        }
        WaitUntil(() => !RunProcessesIn(runDirectory).Any(), "the killed agent's run to die with it");
        Assert.That(File.Exists(Path.Combine(runDirectory, "summary.json")), Is.False, "killed before the run could finish");
        Assert.That(Runs(queue).Single().State, Is.EqualTo(QueuedRunState.Running), "the queue still thinks it runs: nobody told it");

        string[] next = sameAgent ? [] : ["--agent-id", "other", "--heartbeat", "0.5", "--stale-after", "3", "--stop-timeout", "2"];
        var restarted = TrainerProcess.Run(folder.Path, ["agent", "--queue", queue, "--exit-when-idle", "--poll", "0.2", .. next]);

        Assert.That(restarted.ExitCode, Is.EqualTo(0), restarted.Error);
        Assert.That(restarted.Output, Does.Contain(sameAgent ? "Put back 1 run(s) this agent held" : "Put back 1 run(s) whose agents stopped sending heartbeats for 3s"));
        Assert.That(restarted.Output, Does.Contain("resuming from its checkpoint"));
        var run = Runs(queue).Single();
        Assert.That(run.State, Is.EqualTo(QueuedRunState.Completed));
        Assert.That(run.Attempts, Is.EqualTo(2));
        Assert.That(run.RunDirectory, Is.EqualTo(runDirectory), "resumed in place");
        Assert.That(File.ReadAllText(Path.Combine(runDirectory, "log.clef")), Does.Contain("Resuming after"));
        Assert.That(MetricRows(runDirectory), Is.EqualTo(MetricRows(folder.File("straight"))), "every metric of every epoch, bit for bit");
        Assert.That(RunSummaryFile.Read(runDirectory).Metrics, Is.EqualTo(RunSummaryFile.Read(folder.File("straight")).Metrics));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "SIGTERM is how systemd and Kubernetes stop a service")]
    public void OnSigtermTheRunningRunCheckpointsAndGoesBackToTheHeadOfTheQueueWhereTheNextAgentResumesIt()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, [Repository.Recipe("digits-checkpoints.json"), "--Name=long", "--Training:Epochs=10", "--Model:Hidden:0=1024", "--Model:Hidden:1=1024"]);
        Submit(folder.Path, queue, Quickstart, "--Name=next", "--Training:Epochs=1");
        var runDirectory = folder.File("runs/long-q1");

        using (var agent = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--poll", "0.2", "--heartbeat", "0.5", "--stale-after", "30", "--stop-timeout", "20"))
        {
            WaitForCheckpoint(agent, Path.Combine(runDirectory, "checkpoints"), 1);
            agent.Signal("TERM");
            var (code, output, error) = agent.WaitForExit(Patience);
            Assert.That(code, Is.EqualTo(0), output + error);
            Assert.That(output, Does.Contain("Stopping: run q1 long writes its checkpoint and goes back to the head of the queue"));
        }
        var stopped = Runs(queue).ToDictionary(r => r.Submission.Name);
        Assert.That(stopped["long"].State, Is.EqualTo(QueuedRunState.Interrupted));
        Assert.That(stopped["long"].RunDirectory, Is.EqualTo(runDirectory));
        Assert.That(stopped["next"].State, Is.EqualTo(QueuedRunState.Queued), "the second run never started");
        Assert.That(RunSummaryFile.Read(runDirectory).Status, Is.EqualTo("interrupted"), "the run wrote its summary on the way out");

        var restarted = TrainerProcess.Run(folder.Path, "agent", "--queue", queue, "--exit-when-idle", "--poll", "0.2");

        Assert.That(restarted.ExitCode, Is.EqualTo(0), restarted.Error);
        var runs = Runs(queue).ToDictionary(r => r.Submission.Name);
        Assert.That(runs.Values.Select(r => r.State), Is.All.EqualTo(QueuedRunState.Completed));
        Assert.That(runs["long"].Attempts, Is.EqualTo(2));
        Assert.That(runs["long"].FinishedAt, Is.LessThan(runs["next"].StartedAt!.Value), "the interrupted run went first");
        Assert.That(restarted.Output, Does.Contain("Run q1 long started in slot 1 (attempt 2, resuming from its checkpoint)"));
        AssertCompleteRunDirectory(runDirectory);
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "systemd's notify protocol is a Unix datagram socket")]
    public void UnderSystemdTheAgentSendsReadyStatusWatchdogAndStoppingInOrder()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        Submit(folder.Path, queue, Quickstart, "--Name=observed", "--Training:Epochs=4");
        var path = folder.File("notify.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        var messages = new List<string>();
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["WATCHDOG_USEC"] = "400000" };

        using var agent = new TrainerProcess(folder.Path, environment, "agent", "--queue", queue, "--poll", "0.2", "--heartbeat", "0.2", "--stale-after", "30", "--stop-timeout", "20");
        var buffer = new byte[4096];
        socket.ReceiveTimeout = (int)Patience.TotalMilliseconds;
        bool Received(string prefix) => messages.Any(m => m.StartsWith(prefix, StringComparison.Ordinal));
        var runEnvironments = new List<string>();
        while (!(Received("READY=1") && messages.Any(m => m.Contains("observed", StringComparison.Ordinal)) && Received("WATCHDOG=1") &&
                 Runs(queue).Single().State == QueuedRunState.Completed))
        {
            messages.Add(System.Text.Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer)));
            foreach (var pid in RunProcessesIn(folder.File("runs/observed-q1")))
            {
                try
                {
                    runEnvironments.Add(File.ReadAllText($"/proc/{pid}/environ"));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // exited meanwhile
                }
            }
        }
        agent.Signal("TERM");
        while (!Received("STOPPING=1")) messages.Add(System.Text.Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer)));
        var (code, output, error) = agent.WaitForExit(Patience);

        Assert.That(code, Is.EqualTo(0), output + error);
        var ready = messages.FindIndex(m => m == "READY=1");
        Assert.That(messages.Count(m => m == "READY=1"), Is.EqualTo(1));
        Assert.That(messages.FindIndex(m => m.StartsWith("STATUS=running q1 observed", StringComparison.Ordinal)), Is.GreaterThan(ready), string.Join(" | ", messages));
        Assert.That(messages.FindIndex(m => m == "WATCHDOG=1"), Is.GreaterThan(ready));
        Assert.That(messages[^1], Is.EqualTo("STOPPING=1"), "nothing after STOPPING");
        Assert.That(runEnvironments, Is.Not.Empty, "the run's process was seen while it ran");
        Assert.That(runEnvironments, Has.None.Contain("NOTIFY_SOCKET="), "the run's own host cannot talk to systemd as the service");
    }

    [Test]
    public void TwoAgentsOnOnePostgresQueueRunTenRecipesNoneTwiceNoneLost()
    {
        var connection = Environment.GetEnvironmentVariable("TRAINER_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connection)) Assert.Ignore("TRAINER_TEST_POSTGRES is not set (CI sets it: .ci/postgres.sh)");
        var schema = $"queue_{Guid.NewGuid():N}";
        using (var source = NpgsqlDataSource.Create(connection))
        using (var create = source.CreateCommand($"CREATE SCHEMA {schema}"))
            create.ExecuteNonQuery();
        using var folder = new TempFolder();
        var queue = $"postgres:{connection};Search Path={schema}";
        for (var i = 0; i < 10; i++) Submit(folder.Path, queue, Quickstart, $"--Name=run{i}", "--Training:Epochs=1");

        using var a = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--agent-id", "a", "--runs", "runs-a", "--exit-when-idle", "--poll", "0.2");
        using var b = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--agent-id", "b", "--runs", "runs-b", "--exit-when-idle", "--poll", "0.2");
        var first = a.WaitForExit(Patience);
        var second = b.WaitForExit(Patience);

        Assert.That(first.ExitCode, Is.EqualTo(0), first.Error);
        Assert.That(second.ExitCode, Is.EqualTo(0), second.Error);
        var runs = Runs(queue);
        Assert.That(runs, Has.Count.EqualTo(10));
        Assert.That(runs.Select(r => r.State), Is.All.EqualTo(QueuedRunState.Completed));
        Assert.That(runs.Select(r => r.Attempts), Is.All.EqualTo(1), "each run claimed once");
        var directories = Directory.GetDirectories(folder.File("runs-a")).Concat(Directory.GetDirectories(folder.File("runs-b")))
            .Where(d => !Path.GetFileName(d).StartsWith('.')).ToList();
        Assert.That(directories, Has.Count.EqualTo(10), "one run directory per run, none run twice");
        Assert.That(directories.Select(Path.GetFileName), Is.EquivalentTo(runs.Select(r => $"{r.Submission.Name}-q{r.Id}")));
        foreach (var directory in directories) AssertCompleteRunDirectory(directory);
        Assert.That(runs.Select(r => r.Agent).Distinct(), Is.EquivalentTo(new[] { "a", "b" }), "both agents took runs");
    }

    /// <summary>Waits until the agent's run has written an epoch checkpoint after <paramref name="epochs"/> epochs; fails if the agent exits first.</summary>
    private static void WaitForCheckpoint(TrainerProcess agent, string folder, int epochs)
    {
        var clock = Stopwatch.StartNew();
        while (!HasEpochCheckpoint(folder, epochs))
        {
            Assert.That(agent.HasExited, Is.False, $"the agent exited before its run's checkpoint after {epochs} epoch(s):\n" + agent.OutputSoFar);
            Assert.That(clock.Elapsed, Is.LessThan(Patience), $"timed out waiting for the run's checkpoint after {epochs} epoch(s)");
            Thread.Sleep(10);
        }
    }

    private static bool HasEpochCheckpoint(string folder, int epochs)
    {
        if (!Directory.Exists(folder)) return false;
        foreach (var file in Directory.GetFiles(folder, "epoch-*.ckpt"))
        {
            try
            {
                if (CheckpointFile.Read(file).CompletedEpochs >= epochs) return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Trainer.Recipes.RecipeException)
            {
                // being written or removed by KeepLast: look again
            }
        }
        return false;
    }

    /// <summary>Processes whose command line names <paramref name="runDirectory"/> (the agent's child runs).</summary>
    private static IEnumerable<int> RunProcessesIn(string runDirectory)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(proc, "cmdline"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (commandLine.Contains(runDirectory, StringComparison.Ordinal)) yield return pid;
        }
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(1)), $"timed out waiting for {what}");
            Thread.Sleep(20);
        }
    }
}
