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
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "trainer.dll"), "dashboard" }) start.ArgumentList.Add(arg);
        using var dashboard = Process.Start(start)!;
        var errors = dashboard.StandardError.ReadToEndAsync();
        try
        {
            var first = await dashboard.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(first, Does.Match(@"^Dashboard: http://127\.0\.0\.1:\d+/$"), await Errors(dashboard, errors));
            Assert.That(await dashboard.StandardOutput.ReadLineAsync(), Is.EqualTo($"Runs: {folder.File("runs")}. Ctrl+C stops."));
            using var client = new HttpClient { BaseAddress = new Uri(first!["Dashboard: ".Length..]) };

            var page = await client.GetStringAsync("/");
            var runs = JsonDocument.Parse(await client.GetStringAsync("/api/runs")).RootElement;

            Assert.That(page, Does.Contain("<title>Trainer dashboard</title>"));
            Assert.That(runs.EnumerateArray().Select(r => (r.GetProperty("runId").GetString(), r.GetProperty("status").GetString(), r.GetProperty("epochs").GetInt32())),
                Is.EqualTo(new[] { ("first", "completed", 2) }));
            Assert.That(JsonDocument.Parse(await client.GetStringAsync("/api/studies")).RootElement.GetArrayLength(), Is.Zero, "no studies.db, no studies");
        }
        finally
        {
            using var kill = Process.Start("kill", ["-INT", dashboard.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        Assert.That(dashboard.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "Ctrl+C stops the dashboard");
        Assert.That((dashboard.ExitCode, await errors), Is.EqualTo((ExitCodes.Completed, "")));
    }

    private static async Task<string> Errors(Process process, Task<string> errors)
    {
        if (!process.HasExited) return "";
        return await errors;
    }

    [TestCase(new[] { "--urls", "http://0.0.0.0:0" },
        "error: --urls http://0.0.0.0:0 is reachable from other machines, so it needs a token: give --token TOKEN (every API request then needs 'Authorization: Bearer TOKEN'), or listen on http://127.0.0.1:0.")]
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
