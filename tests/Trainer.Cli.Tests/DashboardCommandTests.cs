using System.Diagnostics;
using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;

namespace Trainer.Cli.Tests;

/// <summary><c>trainer dashboard</c>: serves the page and the dashboard API over a runs folder until a signal; refuses bad options with one line each.</summary>
public sealed class DashboardCommandTests
{
    [Test]
    [Platform(Exclude = "Win", Reason = "POSIX signals")]
    public async Task ItPrintsItsLoopbackUrlServesThePageAndTheRunsAndStopsOnCtrlC()
    {
        using var folder = new TempFolder();
        var run = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("quickstart.json"), "--run-dir", "runs/first", "--Training:Epochs=2");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Completed), run.Error);
        // Disposed (killed, if still running) whatever happens below, so a failing test leaves no dashboard behind.
        using var dashboard = new TrainerProcess(folder.Path, "dashboard");

        var first = dashboard.WaitForLine(l => l.StartsWith("Dashboard: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the dashboard's address");
        Assert.That(first, Does.Match(@"^Dashboard: http://127\.0\.0\.1:\d+/$"));
        Assert.That(dashboard.WaitForLine(l => l.StartsWith("Runs: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the runs folder"),
            Is.EqualTo($"Runs: {folder.File("runs")}. Ctrl+C stops."));
        using var client = new HttpClient { BaseAddress = new Uri(first["Dashboard: ".Length..]) };

        var page = await client.GetStringAsync("/");
        var runs = JsonDocument.Parse(await client.GetStringAsync("/api/runs")).RootElement;

        Assert.That(page, Does.Contain("<title>Trainer dashboard</title>"));
        Assert.That(runs.EnumerateArray().Select(r => (r.GetProperty("runId").GetString(), r.GetProperty("status").GetString(), r.GetProperty("epochs").GetInt32())),
            Is.EqualTo(new[] { ("first", "completed", 2) }));
        Assert.That(JsonDocument.Parse(await client.GetStringAsync("/api/studies")).RootElement.GetArrayLength(), Is.Zero, "no studies.db, no studies");

        dashboard.Signal("INT");
        var (code, _, errors) = dashboard.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")), "Ctrl+C stops the dashboard");
    }

    [TestCase(new[] { "--urls", "http://0.0.0.0:0" },
        "error: --urls http://0.0.0.0:0 is reachable from other machines, so it needs a token: give --token TOKEN " +
        "(every API request then needs 'Authorization: Bearer TOKEN'), or listen on http://127.0.0.1:0.")]
    [TestCase(new[] { "--runs", "missing" }, "error: --runs 'missing' is not a folder; give the folder that holds run directories (default: runs).")]
    [TestCase(new[] { "--storage", "sqlite:none.db" }, "error: --storage sqlite:none.db: there is no study store at '{folder}/none.db'; run 'trainer search' first, or give the file it wrote.")]
    public void ABadOptionIsOneLineNamingItAndExitCode2(string[] args, string expected)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("runs"));

        var (code, output, error) = TrainerProcess.Run(folder.Path, ["dashboard", .. args]);

        Assert.That((code, output, error), Is.EqualTo((ExitCodes.InvalidInput, "", expected.Replace("{folder}", folder.Path) + Environment.NewLine)));
    }
}
