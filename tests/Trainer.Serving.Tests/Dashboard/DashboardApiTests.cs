using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trainer.Serving.Dashboard;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>The dashboard-mode API over real run directories and a real SQLite study (see <see cref="RunsFixture"/>).</summary>
public sealed class DashboardApiTests
{
    private DashboardHost host = null!;

    [OneTimeSetUp]
    public async Task StartDashboard() => host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = RunsFixture.Runs });

    [OneTimeTearDown]
    public async Task StopDashboard() => await host.DisposeAsync();

    private async Task<JsonElement> Get(string path)
    {
        using var response = await host.Client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{path}: {await response.Content.ReadAsStringAsync()}");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Test]
    public async Task InfoSaysDashboardMode() =>
        Assert.That((await Get("/api/info")).GetProperty("mode").GetString(), Is.EqualTo("dashboard"));

    [Test]
    public async Task TheRunsListHoldsEveryRunDirectoryWithItsStatusEpochsAndFinalMetrics()
    {
        var runs = (await Get("/api/runs")).EnumerateArray().ToDictionary(r => r.GetProperty("runId").GetString()!);

        Assert.That(runs.Keys, Is.SupersetOf(new[] { "quick-slow", "quick-fast", "still-training", "trial-0000", "trial-0003" }).And.Count.EqualTo(3 + RunsFixture.Trials));
        var slow = runs["quick-slow"];
        Assert.That(slow.GetProperty("recipe").GetString(), Is.EqualTo("quickstart"));
        Assert.That(slow.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(slow.GetProperty("epochs").GetInt32(), Is.EqualTo(RunsFixture.SlowEpochs));
        Assert.That(slow.GetProperty("finalMetrics").GetProperty("test_accuracy").GetDouble(), Is.InRange(0.0, 1.0));
        Assert.That(slow.GetProperty("directory").GetString(), Is.EqualTo("quick-slow"));
        Assert.That(runs["trial-0002"].GetProperty("directory").GetString(), Is.EqualTo("studies/digits-search/trials/trial-0002"));
        Assert.That(runs["still-training"].GetProperty("status").GetString(), Is.EqualTo("running"), "no summary yet");
        Assert.That(runs["still-training"].GetProperty("epochs").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task ARunsStatusHasTheLiveShapeWithTheLastEpochAndTheBest()
    {
        var status = await Get("/api/runs/quick-slow");

        Assert.That(status.GetProperty("runId").GetString(), Is.EqualTo("quick-slow"));
        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(status.GetProperty("epoch").GetInt32(), Is.EqualTo(RunsFixture.SlowEpochs));
        Assert.That(status.GetProperty("epochs").GetInt32(), Is.EqualTo(RunsFixture.SlowEpochs));
        Assert.That(status.GetProperty("learningRate").GetDouble(), Is.EqualTo(0.001));
        Assert.That(status.GetProperty("samplesPerSecond").GetDouble(), Is.GreaterThan(0));
        Assert.That(status.GetProperty("etaSeconds").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(status.GetProperty("lastEpoch").GetProperty("epoch").GetInt32(), Is.EqualTo(RunsFixture.SlowEpochs));
        var best = status.GetProperty("best");
        Assert.That(best.GetProperty("metric").GetString(), Is.EqualTo("val_loss"));
        Assert.That(best.GetProperty("epoch").GetInt32(), Is.InRange(1, RunsFixture.SlowEpochs));
        Assert.That(status.TryGetProperty("startedAt", out _) && status.TryGetProperty("pausedSeconds", out _), Is.True);
    }

    [Test]
    public async Task MetricsAreOneRowPerEpochWithTheCsvColumnsThroughputFromTheCsvAndNaNAsNull()
    {
        var rows = (await Get("/api/runs/quick-fast/metrics")).EnumerateArray().ToList();
        var partial = (await Get("/api/runs/still-training/metrics")).EnumerateArray().Single();

        Assert.That(rows.Select(r => r.GetProperty("epoch").GetInt32()), Is.EqualTo(Enumerable.Range(1, RunsFixture.FastEpochs)));
        var csv = File.ReadAllLines(Path.Combine(RunsFixture.Runs, "quick-fast", "metrics.csv"));
        var columns = csv[0].Split(',').Where(c => c is not ("epoch" or "seconds" or "samples_per_second"));
        Assert.That(rows[0].GetProperty("values").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(columns));
        Assert.That(rows[1].GetProperty("values").GetProperty("val_loss").GetDouble(),
            Is.EqualTo(double.Parse(csv[2].Split(',')[Array.IndexOf(csv[0].Split(','), "val_loss")], System.Globalization.CultureInfo.InvariantCulture)));
        var rates = csv.Skip(1).Select(l => double.Parse(l.Split(',')[Array.IndexOf(csv[0].Split(','), "samples_per_second")], System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(rows.Select(r => r.GetProperty("samplesPerSecond").GetDouble()), Is.EqualTo(rates).And.All.GreaterThan(0), "metrics.csv's samples_per_second, not log.clef");
        Assert.That(partial.GetProperty("values").GetProperty("val_loss").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(partial.GetProperty("samplesPerSecond").ValueKind, Is.EqualTo(JsonValueKind.Null), "a metrics.csv without the column");
    }

    [Test]
    public async Task TheRecipeIsTheResolvedRecipeJson()
    {
        var recipe = await Get("/api/runs/quick-fast/recipe");

        Assert.That(recipe.GetProperty("Name").GetString(), Is.EqualTo("quickstart"));
        Assert.That(recipe.GetProperty("Optimizer").GetProperty("LearningRate").GetDouble(), Is.EqualTo(0.01));
    }

    [TestCase("/api/runs/no-such-run")]
    [TestCase("/api/runs/no-such-run/metrics")]
    [TestCase("/api/studies/no-such-study")]
    public async Task AnUnknownRunOrStudyIsA404ProblemNamingIt(string path)
    {
        using var response = await host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(path.Contains("study") ? "'no-such-study'" : "'no-such-run'"));
    }

    [Test]
    public async Task TheStudiesListCountsTrialsAndGivesTheBestValue()
    {
        var study = (await Get("/api/studies")).EnumerateArray().Single();

        Assert.That(study.GetProperty("name").GetString(), Is.EqualTo(RunsFixture.Study));
        Assert.That(study.GetProperty("objective").GetString(), Is.EqualTo("val_accuracy"));
        Assert.That(study.GetProperty("direction").GetString(), Is.EqualTo("maximize"));
        Assert.That(study.GetProperty("trials").GetInt32(), Is.EqualTo(RunsFixture.Trials));
        Assert.That(study.GetProperty("complete").GetInt32() + study.GetProperty("pruned").GetInt32() + study.GetProperty("failed").GetInt32(), Is.EqualTo(RunsFixture.Trials));
        Assert.That(study.GetProperty("running").GetInt32(), Is.Zero);
        Assert.That(study.GetProperty("bestValue").GetDouble(), Is.InRange(0.0, 1.0));
    }

    [Test]
    public async Task AStudyGivesEachParametersScaleAndEachTrialsParametersValueAndRun()
    {
        var study = await Get($"/api/studies/{RunsFixture.Study}");
        var runIds = (await Get("/api/runs")).EnumerateArray().Select(r => r.GetProperty("runId").GetString()).ToHashSet();

        var scales = study.GetProperty("parameters").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("scale").GetString())).ToList();
        Assert.That(scales, Is.EquivalentTo(new[]
        {
            ("Optimizer:LearningRate", "log"), ("Optimizer:Beta1", "one-minus-log"), ("Model:Hidden:0", "log"), ("Training:BatchSize", "categorical"),
        }));
        var parameters = study.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        var batch = parameters["Training:BatchSize"];
        Assert.That(batch.GetProperty("choices").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "32", "64", "128", "256" }));
        Assert.That((parameters["Optimizer:LearningRate"].GetProperty("min").GetDouble(), parameters["Optimizer:LearningRate"].GetProperty("max").GetDouble()), Is.EqualTo((1e-5, 1.0)));
        var trials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.That(trials.Select(t => t.GetProperty("number").GetInt32()), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        foreach (var trial in trials)
        {
            Assert.That(trial.GetProperty("params").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(scales.Select(s => s.Item1)));
            Assert.That(trial.GetProperty("runId").GetString(), Is.EqualTo($"trial-{trial.GetProperty("number").GetInt32():D4}").And.AnyOf(runIds.ToArray()));
            Assert.That(trial.GetProperty("state").GetString(), Is.AnyOf("complete", "pruned", "failed"));
        }
    }

    [Test]
    public async Task ThePageAndItsFilesComeFromTheAssemblyWithASameOriginContentSecurityPolicy()
    {
        using var page = await host.Client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'").And.Contain("connect-src 'self'").And.Contain("script-src 'self'"));
        Assert.That(html, Does.Contain("<link rel=\"icon\" href=\"data:,\">").And.Contain("/vendor/uplot/uPlot.iife.min.js"));
        foreach (var (path, type) in new[]
                 {
                     ("/js/main.js", "text/javascript"), ("/app.css", "text/css"), ("/vendor/uplot/uPlot.iife.min.js", "text/javascript"),
                     ("/vendor/uplot/uPlot.min.css", "text/css"), ("/vendor/uplot/LICENSE", "text/plain"), ("/vendor/uplot/VERSION", "text/plain"),
                 })
        {
            using var file = await host.Client.GetAsync(path);
            Assert.That((file.StatusCode, file.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, type)), path);
        }
        Assert.That(await host.Client.GetStringAsync("/vendor/uplot/VERSION"), Does.StartWith("uPlot 1.6.32"));
    }

    [Test]
    public async Task ThePageScriptIsModulesServedAsJavaScriptAndEveryImportIsOneOfThem()
    {
        var html = await host.Client.GetStringAsync("/");
        var modules = typeof(DashboardPage).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("wwwroot/js/", StringComparison.Ordinal)).Select(n => n["wwwroot".Length..]).ToList();

        Assert.That(html, Does.Contain("<script type=\"module\" src=\"/js/main.js\"></script>"));
        Assert.That(html.IndexOf("/vendor/uplot/uPlot.iife.min.js", StringComparison.Ordinal), Is.LessThan(html.IndexOf("/js/main.js", StringComparison.Ordinal)),
            "uPlot's classic deferred script runs before the module entry");
        Assert.That(modules, Is.SupersetOf(new[] { "/js/main.js", "/js/api.js", "/js/charts.js", "/js/live.js", "/js/dashboard.js", "/js/study.js" }));
        var imported = new HashSet<string>();
        foreach (var module in modules)
        {
            using var response = await host.Client.GetAsync(module);
            Assert.That((response.StatusCode, response.Content.Headers.ContentType?.ToString()), Is.EqualTo((HttpStatusCode.OK, "text/javascript; charset=utf-8")), module);
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(DashboardPage.ContentSecurityPolicy), module);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), module);
            var text = await response.Content.ReadAsStringAsync();
            foreach (Match import in Regex.Matches(text, @"^import \{[^}]*\} from ""\./([\w.]+)"";$", RegexOptions.Multiline))
                imported.Add("/js/" + import.Groups[1].Value);
            Assert.That(Regex.Matches(text, @"^import .*$", RegexOptions.Multiline).Select(m => m.Value).Where(line => !Regex.IsMatch(line, @"^import \{[^}]*\} from ""\./[\w.]+"";$")), Is.Empty,
                $"{module} imports only its siblings");
        }
        Assert.That(imported, Is.SubsetOf(modules), "every import is a served module");
        Assert.That(modules.Except(imported), Is.EqualTo(new[] { "/js/main.js" }), "every module but the entry is imported");
    }

    [Test]
    public async Task WithATokenEveryApiRequestNeedsItButThePageLoadsWithout()
    {
        await using var secured = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = RunsFixture.Runs, Token = "s3cret-token-9fXq2LwA" });

        using var page = await secured.Client.GetAsync("/");
        using var missing = await secured.Client.GetAsync("/api/runs");
        using var wrong = await secured.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/runs") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } });
        using var right = await secured.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/runs") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token-9fXq2LwA") } });

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((missing.StatusCode, wrong.StatusCode, right.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK)));
        Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(missing.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task TwoRunFoldersWithOneRunIdGetIdsFromTheirPaths()
    {
        var root = Directory.CreateTempSubdirectory("trainer-serving-ids-").FullName;
        try
        {
            foreach (var copy in new[] { "quick-fast", Path.Combine("copies", "quick-fast") })
            {
                Directory.CreateDirectory(Path.Combine(root, copy));
                foreach (var file in new[] { "summary.json", "metrics.csv", "recipe.json" })
                    File.Copy(Path.Combine(RunsFixture.Runs, "quick-fast", file), Path.Combine(root, copy, file));
            }
            await using var dashboard = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = root });

            var ids = JsonDocument.Parse(await dashboard.Client.GetStringAsync("/api/runs")).RootElement.EnumerateArray().Select(r => r.GetProperty("runId").GetString()).ToList();
            using var nested = await dashboard.Client.GetAsync("/api/runs/copies~quick-fast/metrics");

            Assert.That(ids, Is.EquivalentTo(new[] { "quick-fast", "copies~quick-fast" }));
            Assert.That(nested.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
    [Test]
    public async Task AStudyGivesEachParametersImportanceLargestFirstOrWhyThereIsNone()
    {
        var root = Directory.CreateTempSubdirectory("trainer-serving-importance-").FullName;
        try
        {
            const string space = """[{"Path":"a","Distribution":"UniformDistribution","Settings":{"Min":0,"Max":1}},""" +
                                 """{"Path":"b","Distribution":"UniformDistribution","Settings":{"Min":0,"Max":1}}]""";
            using (var store = new Trainer.Search.SqliteStudyStore(Path.Combine(root, "studies.db")))
            {
                store.EnsureStudy("planted", "val_loss", false, space);
                store.EnsureStudy("young", "val_loss", false, space);
                for (var n = 0; n < 12; n++)
                {
                    double[] point = [(n + 0.5) / 12, (n * 5 % 12 + 0.5) / 12];
                    var trial = store.StartTrial("planted", 100, "w", TimeSpan.FromMinutes(5), (_, _) => (new Dictionary<string, string>(), point))!;
                    store.Finish("planted", trial.Number, Trainer.Search.TrialState.Complete, 10 * point[0] * point[0] + 0.001 * point[1], null);
                }
                var only = store.StartTrial("young", 100, "w", TimeSpan.FromMinutes(5), (_, _) => (new Dictionary<string, string>(), [0.5, 0.5]))!;
                store.Finish("young", only.Number, Trainer.Search.TrialState.Complete, 1.0, null);
            }
            await using var dashboard = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = root });

            var planted = JsonDocument.Parse(await dashboard.Client.GetStringAsync("/api/studies/planted")).RootElement;
            var young = JsonDocument.Parse(await dashboard.Client.GetStringAsync("/api/studies/young")).RootElement;

            var shares = planted.GetProperty("importance").EnumerateArray().Select(i => (i.GetProperty("parameter").GetString(), i.GetProperty("share").GetDouble())).ToList();
            Assert.That(shares.Select(s => s.Item1), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(shares[0].Item2, Is.GreaterThan(0.9));
            Assert.That(shares.Sum(s => s.Item2), Is.EqualTo(1).Within(1e-9));
            Assert.That(planted.GetProperty("importanceReason").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(young.GetProperty("importance").GetArrayLength(), Is.Zero);
            Assert.That(young.GetProperty("importanceReason").GetString(), Is.EqualTo("needs at least 2 complete trials with a finite value (has 1)"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }
}
