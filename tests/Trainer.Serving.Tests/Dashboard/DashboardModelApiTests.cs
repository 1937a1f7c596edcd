using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Trainer.Serving.Dashboard;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>A run's model package through the dashboard API: <c>/api/runs/{id}/model</c> and <c>/api/runs/{id}/model/{file}</c>.</summary>
public sealed class DashboardModelApiTests
{
    private const string Token = "s3cret-token-9fXq2LwA";
    private ModelRuns runs = null!;
    private DashboardHost host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        runs = new ModelRuns();
        host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = runs.Root });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await host.DisposeAsync();
        runs.Dispose();
    }

    [Test]
    public async Task TheManifestIsServedAsJsonAsWritten()
    {
        using var response = await host.Client.GetAsync($"/api/runs/{ModelRuns.WithModel}/model");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(manifest.GetProperty("weights").GetProperty("sha256").GetString(), Is.EqualTo(ModelPackageSample.Sha256));
        Assert.That(manifest.GetProperty("architecture").GetProperty("kind").GetString(), Is.EqualTo("mlp"));
    }

    [Test]
    public async Task ARunWithoutAPackageOrAnUnknownRunIsA404Problem()
    {
        using var plain = await host.Client.GetAsync($"/api/runs/{ModelRuns.Plain}/model");
        using var unknown = await host.Client.GetAsync("/api/runs/nope/model");
        using var plainFile = await host.Client.GetAsync($"/api/runs/{ModelRuns.Plain}/model/weights.dat");

        Assert.That((plain.StatusCode, unknown.StatusCode, plainFile.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That(plain.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await plain.Content.ReadAsStringAsync(), Does.Contain("No model package").And.Contain($"Run '{ModelRuns.Plain}' has no readable model/model.json"));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("No run directory with id 'nope'"));
        Assert.That(await plainFile.Content.ReadAsStringAsync(), Does.Contain($"Run '{ModelRuns.Plain}' has no model/weights.dat."));
    }

    [TestCase("model.json", "application/json", null)]
    [TestCase("weights.dat", "application/octet-stream", "weights.dat")]
    [TestCase("weights.pt", "application/octet-stream", "weights.pt")]
    [TestCase("model.py", "text/plain", null)]
    public async Task EachPackageFileIsServedWithItsContentTypeAndTheWeightsAsAttachments(string file, string type, string? attachment)
    {
        using var response = await host.Client.GetAsync($"/api/runs/{ModelRuns.WithModel}/model/{file}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(type));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo(attachment is null ? null : "attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Is.EqualTo(attachment));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(File.ReadAllBytes(Path.Combine(runs.Root, ModelRuns.WithModel, "model", file))));
    }

    [TestCase("summary.json")]
    [TestCase("recipe.json")]
    [TestCase("MODEL.JSON")]
    [TestCase("weights")]
    [TestCase("..%2Fsummary.json")]
    [TestCase("..%2F..%2Fwith-model%2Fsummary.json")]
    [TestCase("%2E%2E%2Fsummary.json")]
    [TestCase("..%5Csummary.json")]
    [TestCase("%2Fetc%2Fpasswd")]
    [TestCase("weights.dat%2F..%2F..%2Fsummary.json")]
    public async Task AnyOtherFileNameOrAPathIsA404(string raw)
    {
        using var response = await host.Client.GetAsync(new Uri($"/api/runs/{ModelRuns.WithModel}/model/{raw}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), raw);
        Assert.That(body, Does.Not.Contain("\"runId\"").And.Not.Contain("root:"), "nothing of another file");
    }

    [Test]
    public async Task ANulByteInTheNameIsRefusedBeforeAnyEndpoint()
    {
        using var response = await host.Client.GetAsync(new Uri($"/api/runs/{ModelRuns.WithModel}/model/model.json%00", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "Kestrel refuses it");
    }

    [Test]
    public async Task AnUnknownFileNameIsAProblemListingTheKnownNames()
    {
        using var response = await host.Client.GetAsync($"/api/runs/{ModelRuns.WithModel}/model/summary.json");

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(),
            Does.Contain("A model package has only model.json, weights.dat, weights.pt, model.py; 'summary.json' is none of them."));
    }

    [Test]
    public async Task AFileThatIsASymbolicLinkIsNotServed()
    {
        using var linked = await host.Client.GetAsync($"/api/runs/{ModelRuns.Linked}/model/weights.dat");
        using var manifest = await host.Client.GetAsync($"/api/runs/{ModelRuns.Linked}/model/model.json");

        Assert.That((linked.StatusCode, manifest.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.OK)));
        Assert.That(await linked.Content.ReadAsStringAsync(), Does.Not.Contain("\"runId\""));
    }

    [Test]
    public async Task TheRunsListMarksRunsWithAPackageAndAStatusListsItsFiles()
    {
        var list = JsonDocument.Parse(await host.Client.GetStringAsync("/api/runs")).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("runId").GetString()!, r => r.GetProperty("hasModel").GetBoolean());
        var status = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/runs/{ModelRuns.WithModel}")).RootElement;
        var plain = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/runs/{ModelRuns.Plain}")).RootElement;
        var linked = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/runs/{ModelRuns.Linked}")).RootElement;

        Assert.That(list, Is.EquivalentTo(new Dictionary<string, bool> { [ModelRuns.WithModel] = true, [ModelRuns.Plain] = false, [ModelRuns.Linked] = true }));
        Assert.That(status.GetProperty("modelFiles").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "model.json", "weights.dat", "weights.pt", "model.py" }));
        Assert.That(plain.GetProperty("modelFiles").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(linked.GetProperty("modelFiles").EnumerateArray().Select(f => f.GetString()), Does.Not.Contain("weights.dat"));
    }

    [Test]
    public async Task WithATokenTheManifestAndTheFilesNeedIt()
    {
        await using var secured = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = runs.Root, Token = Token });
        HttpRequestMessage Get(string path, string? token) => new(HttpMethod.Get, path)
            { Headers = { Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token) } };
        var manifest = $"/api/runs/{ModelRuns.WithModel}/model";
        var weights = $"/api/runs/{ModelRuns.WithModel}/model/weights.dat";

        var codes = new List<HttpStatusCode>();
        foreach (var (path, token) in new[] { (manifest, null), (weights, null), (manifest, "guess-guess-guess-1"), (weights, "guess-guess-guess-1"), (manifest, Token), (weights, Token) })
        {
            using var response = await secured.Client.SendAsync(Get(path, token));
            codes.Add(response.StatusCode);
        }
        using var query = await secured.Client.GetAsync(weights + "?access_token=" + Token);
        using var unknownWithoutToken = await secured.Client.GetAsync($"/api/runs/{ModelRuns.WithModel}/model/..%2Fsummary.json");

        Assert.That(codes, Is.EqualTo(new[]
        {
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK,
        }));
        Assert.That(query.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a GET may carry the token in the query, as the page's links may");
        Assert.That(unknownWithoutToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "authorisation comes before the file name is looked at");
    }

    [Test]
    public async Task ARequestFromAnotherOriginIsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{ModelRuns.WithModel}/model/weights.dat") { Headers = { { "Origin", "https://evil.example" } } };
        using var response = await host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
