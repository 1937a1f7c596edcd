using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Serving.Api;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests;

public sealed class SecurityTests
{
    private static (int Code, string Errors, bool RunDirectoryExists) Start(params string[] overrides) => Start(true, overrides);

    private static (int Code, string Errors, bool RunDirectoryExists) Start(bool serve, params string[] overrides)
    {
        var folder = Directory.CreateTempSubdirectory("trainer-serve-").FullName;
        try
        {
            var recipe = Path.Combine(folder, "recipe.json");
            File.WriteAllText(recipe, LiveRunFixture.Recipe(epochs: 1));
            var errors = new StringWriter();
            var request = new RunRequest
            {
                Recipe = RecipeSource.FromFile(recipe), RunDirectory = Path.Combine(folder, "run"), Console = false, AppSettings = null,
                Overrides = overrides, HostFactory = new ServingHostFactory(serve),
            };
            var code = new TrainerApplication(LiveRunFixture.Catalog, errors).RunAsync(request).GetAwaiter().GetResult();
            return (code, errors.ToString(), Directory.Exists(Path.Combine(folder, "run")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase("http://0.0.0.0:0")]
    [TestCase("http://*:0")]
    [TestCase("http://127.0.0.1:0;http://[::]:0")]
    public void ListeningBeyondLoopbackWithoutATokenRefusesToStart(string urls)
    {
        var (code, errors, created) = Start($"--Serve:Urls={urls}");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith("error: Serve:Urls").And.Contain("Serve:Token").And.Contain("TRAINER_Serve__Token"));
        Assert.That(created, Is.False, "nothing is written");
    }

    [TestCase("--Serve:Token=   ", "Serve:Token contains spaces or control characters")]
    [TestCase("--Serve:Token=short-secret", "Serve:Token is too weak (12 characters): use at least 16 random characters")]
    [TestCase("--Serve:Token=aaaaaaaaaaaaaaaaaaaaaaaa", "Serve:Token is too weak (24 characters)")]
    public void AWeakTokenIsRefusedBeforeAnythingStarts(string setting, string message)
    {
        var (code, errors, created) = Start(setting);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Does.StartWith($"error: {message}").And.Contain("trainer token"));
        Assert.That(created, Is.False);
    }

    [Test]
    public void ARecipeCannotOpenTheRunToTheNetworkWithoutServeOnTheCommandLine()
    {
        var (code, errors, created) = Start(false, "--Serve:Urls=http://0.0.0.0:0", "--Serve:Token=network-token-9fXq2LwA");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Trim(), Is.EqualTo("error: Serve:Urls 'http://0.0.0.0:0' listens beyond this machine, which a recipe or setting cannot ask for on its own: " +
                                              "give the address on the command line with --serve URL."));
        Assert.That(created, Is.False);
    }

    [Test]
    public async Task TheLogNamesTheAddressesActuallyListenedOnAndSaysWhenOthersCanReachThem()
    {
        const string token = "network-token-9fXq2LwA";
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), ["--Serve:Urls=http://0.0.0.0:0", "--Serve:Token=" + token], [new PacingCallback(5)], token, serve: true);
        await live.WaitForAsync(s => s.Status == "running", "running");

        var serving = live.LogText().Split('\n').Single(l => l.Contains("\"Serving\"", StringComparison.Ordinal));

        Assert.That(serving, Does.Contain("\"Addresses\":\"http://0.0.0.0:").And.Contain("\"Exposed\":true"));
    }

    [TestCase("--Serve:StallSeconds=-1", "Serve:StallSeconds '-1' must be a number of seconds above 0")]
    [TestCase("--Serve:MaxRequestBodyBytes=10", "Serve:MaxRequestBodyBytes '10' must be a whole number of bytes from 256 to 1048576")]
    [TestCase("--Serve:Urls=ftp://127.0.0.1:21", "Serve:Urls 'ftp://127.0.0.1:21' is not a URL to listen on")]
    [TestCase("--Serve:Port=80", "Serve:Port is not a serve setting; settings of Serve are: Urls, Token, AllowedHosts, StallSeconds, MaxRequestBodyBytes, " +
                                 "MaxLearningRate, MinLearningRate.")]
    public void BadServeSettingsAreOneLineNamingTheKey(string setting, string message)
    {
        var (code, errors, created) = Start(setting);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Does.StartWith($"error: {message}"));
        Assert.That(created, Is.False);
    }

    [Test]
    public void AnAddressInUseIsOneErrorLineWithExitCodeTwo()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, errors, _) = Start($"--Serve:Urls={url}");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Trim(), Does.StartWith($"error: the run could not start: Failed to bind to address {url}").And.Not.Contain("\n"));
    }

    [Test]
    public async Task WithATokenEveryRequestNeedsItAndAWrongOneChangesNothing()
    {
        const string token = "s3cret-token-9fXq2LwA";
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), ["--Serve:Token=" + token], [new PacingCallback(5)], token);
        await live.WaitForAsync(s => s.Status == "running", "running");
        using var anonymous = new HttpClient { BaseAddress = live.Client.BaseAddress };
        using var wrong = new HttpClient { BaseAddress = live.Client.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guess");

        foreach (var path in new[] { "/api/run", "/api/run/metrics", "/api/run/events", "/api/run/recipe", "/api/info", "/healthz", "/metrics" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        }
        // The page's own files hold no run data and load without the token, so the page can ask for it.
        using (var pageFile = await anonymous.GetAsync("/"))
            Assert.That((pageFile.StatusCode, pageFile.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, "text/html")));
        using (var refused = await wrong.PostAsync("/api/run/control", new StringContent("""{"action":"lr","value":0.5}""", Encoding.UTF8, "application/json")))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(refused.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        }
        using (var refused = await anonymous.PostAsync("/api/run/control", new StringContent("""{"action":"stop"}""", Encoding.UTF8, "application/json")))
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        // Commands apply before a step: two steps later, anything accepted would show.
        var before = await live.StatusAsync();
        var status = await live.WaitForAsync(s => s.Step > before.Step + 1, "the run to go on");
        Assert.That((status.Status, status.LearningRate), Is.EqualTo(("running", 0.01)), "nothing changed");
        Assert.That(live.LogText(), Does.Contain("ServeUnauthorized").And.Contain("wrong bearer token").And.Not.Contain("\"ControlApplied\""));
        Assert.That(live.Endpoint.TokenRequired, Is.True);
        var page = await anonymous.GetFromJsonAsync<LiveRunStatus>($"/api/run?access_token={token}", ServeJson.Options);
        Assert.That(page!.RunId, Is.EqualTo("run"), "a page's GET may carry the token in the query");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(live.RunDirectory, "recipe.json")), Does.Not.Contain(token), "the token never goes to disk");
        Assert.That(await live.Client.GetStringAsync("/api/run/recipe"), Does.Not.Contain(token));
        using (var accepted = await live.PostAsync("""{"action":"lr","value":0.02}"""))
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "the right token is accepted");
    }
}
