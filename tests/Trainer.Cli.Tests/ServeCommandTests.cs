using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Trainer.Checkpoints;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;
using Trainer.Serving.Api;

namespace Trainer.Cli.Tests;

/// <summary><c>trainer run RECIPE --serve</c> steered with <c>trainer ctl</c> and the HTTP API, process to process.</summary>
public sealed class ServeCommandTests
{
    private const string Recipe = """
        {
          "Name": "served",
          "Data": { "Source": "digits", "ValidationFraction": 0.15 },
          "Model": { "Kind": "mlp", "Hidden": [32], "BatchNorm": true },
          "Optimizer": { "Kind": "adam", "LearningRate": 0.002 },
          "Training": { "Epochs": 5000, "BatchSize": 64, "Device": "cpu", "Seed": 3, "Threads": 1 },
          "Callbacks": [ { "Type": "Checkpoint", "Options": { "EveryEpochs": 1, "EveryMinutes": 0, "KeepLast": 1000 } } ]
        }
        """;

    [Test]
    public async Task AServedRunIsSteeredLiveStoppedWithExitCodeZeroAndResumedWithTheChangedLearningRate()
    {
        using var folder = new TempFolder();
        var recipe = folder.File("recipe.json");
        await File.WriteAllTextAsync(recipe, Recipe);
        var runDirectory = folder.File("run");
        using var trainer = new TrainerProcess(folder.Path, "run", recipe, "--run-dir", "run", "--serve", "http://127.0.0.1:0");

        var endpoint = WaitFor(() => EndpointInfo.Read(runDirectory), trainer, "endpoint.json");
        using var client = new HttpClient { BaseAddress = new Uri(endpoint.Url) };
        var status = await client.GetFromJsonAsync<LiveRunStatus>("/api/run", ServeJson.Options);
        Assert.That((status!.RunId, status.Recipe, status.Epochs), Is.EqualTo(("run", "served", 5000)));
        WaitFor(() => Rows(runDirectory).Count >= 2 ? true : (bool?)null, trainer, "two epochs");

        // Lower the learning rate: applied at the next batch, so every epoch after the current one trains at it.
        Assert.That(Ctl(folder, "lr", "0.0005"), Does.StartWith("accepted: lr 0.0005"));
        var changedIn = WaitFor(() => Applied(runDirectory, "lr").Select(e => e["Epoch"]!.GetValue<int>()).Cast<int?>().FirstOrDefault(),
            trainer, "the change to be applied");
        WaitFor(() => Rows(runDirectory).Count >= changedIn + 2 ? true : (bool?)null, trainer, "two epochs after the change");
        var rows = Rows(runDirectory);
        Assert.That(rows.Where(r => r.Epoch < changedIn).Select(r => r.Lr), Is.All.EqualTo(0.002));
        Assert.That(rows.Where(r => r.Epoch > changedIn).Select(r => r.Lr), Is.All.EqualTo(0.0005), "from the next epoch on");
        Assert.That(rows.Single(r => r.Epoch == changedIn).Lr, Is.InRange(0.0005, 0.002), "the epoch it changed in: the mean over its steps");

        // Pause: no step for two seconds; resume: it moves again.
        Assert.That(Ctl(folder, "pause"), Does.StartWith("accepted: pause"));
        var paused = await Poll(client, s => s.Status == "paused");
        await Task.Delay(2000);
        Assert.That((await client.GetFromJsonAsync<LiveRunStatus>("/api/run", ServeJson.Options))!.Step, Is.EqualTo(paused.Step));
        Assert.That(Ctl(folder, "status"), Does.Contain("paused").And.Contain("lr 0.0005"));
        Ctl(folder, "resume");
        await Poll(client, s => s.Status == "running" && s.Step > paused.Step);

        // Checkpoint now: the applied command names the checkpoint written for it (or the epoch's, when nothing trained since).
        Ctl(folder, "checkpoint");
        var requested = WaitFor(() => Applied(runDirectory, "checkpoint").Select(e => e["NewValue"]!.GetValue<string>()).FirstOrDefault(),
            trainer, "the requested checkpoint");
        Assert.That(File.Exists(requested), Is.True, requested);
        Assert.That(CheckpointFile.Read(requested).Reason, Is.AnyOf("request", "epoch"));
        Assert.That(CheckpointFile.Read(requested).LearningRate, Is.EqualTo(0.0005));

        // Stop: exit code 0, status stopped, the endpoint marked ended.
        Ctl(folder, "stop");
        var (code, output, error) = trainer.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.That(code, Is.EqualTo(ExitCodes.Completed), output + error);
        Assert.That(RunSummaryFile.Read(runDirectory).Status, Is.EqualTo("stopped"));
        Assert.That(EndpointInfo.Read(runDirectory)!.Ended, Is.True);
        var (ctlCode, ctlOutput, ctlError) = TrainerProcess.Run(folder.Path, "ctl", "run", "status");
        Assert.That(ctlCode, Is.EqualTo(ExitCodes.InvalidInput), ctlOutput);
        Assert.That(ctlError.Trim(), Is.EqualTo("error: the run run has ended (status stopped); there is nothing to control."));
        var log = await File.ReadAllTextAsync(Path.Combine(runDirectory, "log.clef"));
        Assert.That(log, Does.Contain("\"ControlApplied\"").And.Contain("http 127.0.0.1"));

        // Resume: it continues at the learning rate it had, not the recipe's.
        var finished = Rows(runDirectory).Count;
        var (resumeCode, resumeOutput, resumeError) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run", "--resume",
            $"--Training:Epochs={finished + 2}");
        Assert.That(resumeCode, Is.EqualTo(ExitCodes.Completed), resumeOutput + resumeError);
        var resumed = Rows(runDirectory);
        Assert.That(resumed, Has.Count.EqualTo(finished + 2));
        Assert.That(resumed.Skip(finished).Select(r => r.Lr), Is.All.EqualTo(0.0005));
    }

    [Test]
    public void CtlSendsTheTokenAndAWrongOneIsRefusedWithoutAChange()
    {
        using var folder = new TempFolder();
        var recipe = folder.File("recipe.json");
        File.WriteAllText(recipe, Recipe);
        using var trainer = new TrainerProcess(folder.Path, "run", recipe, "--run-dir", "run", "--serve", "--Serve:Token=tok-123-9fXq2LwAbc");
        var endpoint = WaitFor(() => EndpointInfo.Read(folder.File("run")), trainer, "endpoint.json");
        Assert.That(endpoint.TokenRequired, Is.True);

        var (missingCode, _, missing) = TrainerProcess.Run(folder.Path, "ctl", "run", "pause");
        var (wrongCode, _, wrong) = TrainerProcess.Run(folder.Path, "ctl", "run", "pause", "--token", "nope");
        Assert.That((missingCode, missing.Trim()), Is.EqualTo((ExitCodes.InvalidInput, "error: the run needs a token: set TRAINER_Serve__Token or pass --token.")));
        Assert.That((wrongCode, wrong.Trim()), Is.EqualTo((ExitCodes.InvalidInput,
            "error: the run refused the token (401): set TRAINER_Serve__Token or --token to the run's Serve:Token.")));
        Assert.That(TrainerProcess.Run(folder.Path, "ctl", "run", "status", "--token", "tok-123-9fXq2LwAbc").Output, Does.Contain("running"), "nothing changed");

        var (stopCode, stopOutput, stopError) = TrainerProcess.Run(folder.Path, "ctl", "run", "stop", "--token", "tok-123-9fXq2LwAbc");
        Assert.That(stopCode, Is.EqualTo(ExitCodes.Completed), stopOutput + stopError);
        Assert.That(trainer.WaitForExit(TimeSpan.FromSeconds(60)).ExitCode, Is.EqualTo(ExitCodes.Completed));
        Assert.That(File.ReadAllText(folder.File("run/log.clef")), Does.Contain("ServeUnauthorized"));
    }

    [Test]
    public void ServingBeyondLoopbackWithoutATokenRefusesToStartNamingTheSetting()
    {
        using var folder = new TempFolder();
        var recipe = folder.File("recipe.json");
        File.WriteAllText(recipe, Recipe);

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run", "--serve", "http://0.0.0.0:0");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), output);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith("error: Serve:Urls 'http://0.0.0.0:0' listens beyond this machine, so a token is required: set Serve:Token " +
                                          "or the environment variable TRAINER_Serve__Token"));
        Assert.That(Directory.Exists(folder.File("run")), Is.False);
    }

    [TestCase(new[] { "ctl", "nowhere", "status" }, "error: 'nowhere' is not a run directory.")]
    [TestCase(new[] { "ctl", ".", "status" }, "error: the run in '.' is not serving (it has no endpoint.json); start it with 'trainer run RECIPE --serve'.")]
    [TestCase(new[] { "ctl", ".", "warp" }, "error: 'warp' is not a ctl action; use one of status, lr, pause, resume, checkpoint, stop.")]
    [TestCase(new[] { "ctl", ".", "lr", "fast" }, "error: lr 'fast' is not a rate above 0; write 'lr 0.003' or 'lr x0.5'.")]
    [TestCase(new[] { "ctl", ".", "lr" }, "error: lr needs a value: 'lr 0.003' sets the rate, 'lr x0.5' multiplies it.")]
    [TestCase(new[] { "ctl", ".", "pause", "now" }, "error: 'pause' takes no value.")]
    [TestCase(new[] { "run", "--serve", "recipe.json" }, "error: --serve 'recipe.json' is not a URL; write --serve http://127.0.0.1:0 (or put --serve after the recipe).")]
    public void CtlAndServeMistakesAreOneLineWithExitCodeTwo(string[] args, string message)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("recipe.json"), Recipe);

        var (code, output, error) = TrainerProcess.Run(folder.Path, args);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), output);
        Assert.That(error.Trim(), Is.EqualTo(message));
    }

    [Test]
    public void CtlSaysSoWhenTheServingProcessIsGone()
    {
        using var folder = new TempFolder();
        new EndpointInfo { Url = "http://127.0.0.1:9", RunId = "gone", Pid = 1, StartedAt = DateTimeOffset.UtcNow }.Write(folder.Path);

        var (code, _, error) = TrainerProcess.Run(folder.Path, "ctl", ".", "pause");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error, Does.StartWith("error: the run gone does not answer at http://127.0.0.1:9").And.Contain("it is no longer serving"));
    }

    private static string Ctl(TempFolder folder, params string[] args)
    {
        var (code, output, error) = TrainerProcess.Run(folder.Path, ["ctl", "run", .. args]);
        Assert.That(code, Is.EqualTo(ExitCodes.Completed), $"trainer ctl run {string.Join(' ', args)}: {output}{error}");
        return output;
    }

    private static List<(int Epoch, double Lr)> Rows(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "metrics.csv");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var lines = new StreamReader(stream, Encoding.UTF8).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',');
        int epoch = Array.IndexOf(header, "epoch"), lr = Array.IndexOf(header, "lr");
        return lines.Skip(1).Select(l => l.Split(',')).Where(c => c.Length == header.Length)
            .Select(c => (int.Parse(c[epoch], CultureInfo.InvariantCulture), double.Parse(c[lr], CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>The run's ControlApplied log events that changed <paramref name="field"/>.</summary>
    private static IEnumerable<System.Text.Json.Nodes.JsonNode> Applied(string runDirectory, string field) =>
        LogEvents(runDirectory).Where(e => e["EventId"]?["Name"]?.GetValue<string>() == "ControlApplied" && e["Field"]?.GetValue<string>() == field);

    private static IEnumerable<System.Text.Json.Nodes.JsonNode> LogEvents(string runDirectory)
    {
        using var stream = new FileStream(Path.Combine(runDirectory, "log.clef"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var lines = new StreamReader(stream, Encoding.UTF8).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Where(l => l.EndsWith('}')).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
    }

    private static T WaitFor<T>(Func<T?> probe, TrainerProcess trainer, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                if (probe() is { } value) return value;
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or FormatException)
            {
                // a file being written
            }
            Assert.That(trainer.HasExited, Is.False, $"trainer exited while waiting for {what}");
            Thread.Sleep(50);
        }
        Assert.Fail($"Timed out waiting for {what}.");
        return default!;
    }

    private static async Task<LiveRunStatus> Poll(HttpClient client, Func<LiveRunStatus, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.GetFromJsonAsync<LiveRunStatus>("/api/run", ServeJson.Options))!;
            if (condition(status)) return status;
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) Assert.Fail($"Timed out; status {status.Status}, step {status.Step}.");
            await Task.Delay(50);
        }
    }
}
