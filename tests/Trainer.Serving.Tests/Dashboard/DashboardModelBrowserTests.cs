using Trainer.Serving.Dashboard;
using Trainer.Serving.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>A saved run's model package in the dashboard page, in headless Chromium: the list's marker, the run view's facts and links.</summary>
public sealed class DashboardModelBrowserTests
{
    private ModelRuns runs = null!;
    private HeadlessBrowser browser = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        runs = new ModelRuns();
        browser = await HeadlessBrowser.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await browser.DisposeAsync();
        runs.Dispose();
    }

    [Test]
    public async Task TheRunListMarksRunsWithAModelPackage()
    {
        await using var host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = runs.Root });
        var page = await browser.OpenUrlAsync(host.Url);

        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#runs tbody tr", new() { HasText = ModelRuns.WithModel }).Locator("td.model-marker")).ToHaveTextAsync("model");
        Assert.That(await page.Locator("#runs tbody tr", new() { HasText = ModelRuns.Plain }).Locator("td.model-marker").CountAsync(), Is.Zero);
        Assert.That(browser.Problems, Is.Empty);
        await page.CloseAsync();
    }

    [Test]
    public async Task ARunViewShowsTheManifestsKeyFactsAndItsLinksDownloadTheFiles()
    {
        await using var host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = runs.Root });
        var page = await browser.OpenUrlAsync($"{host.Url}/?run={ModelRuns.WithModel}");

        await Expect(page.Locator("#model-section")).ToBeVisibleAsync();
        var facts = await page.Locator("#model-facts").InnerTextAsync();
        Assert.That(facts, Does.Contain("mlp").And.Contain("101,770").And.Contain("weights.pt").And.Contain("2026-12-03 12:00:00Z").And.Contain("1 × 28 × 28")
            .And.Contain("T-shirt, Trouser, <Bag>").And.Contain("epoch 7: best epoch 7 (restored)").And.Contain(ModelPackageSample.Sha256).And.Contain("0.107.0"));
        Assert.That(await page.Locator("#model-metrics tbody tr").CountAsync(), Is.EqualTo(4));
        var links = page.Locator("#model-files a");
        Assert.That(await links.AllInnerTextsAsync(), Is.EqualTo(new[] { "model/model.json", "model/weights.dat", "model/weights.pt", "model/model.py" }));

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#model-files a[data-file='weights.dat']").ClickAsync());
        Assert.That(download.SuggestedFilename, Is.EqualTo("weights.dat"));
        Assert.That(await File.ReadAllBytesAsync(await download.PathAsync()), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Assert.That(browser.Problems, Is.Empty);

        var manifest = await page.Locator("#model-files a[data-file='model.json']").GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(host.Url + manifest);
        Assert.That((response.Status, await response.TextAsync()), Is.EqualTo((200, ModelPackageSample.Manifest)));
        await page.CloseAsync();
    }

    [Test]
    public async Task WithATokenALinkDownloadsThroughTheBearerHeader()
    {
        const string token = "s3cret-token-9fXq2LwA";
        await using var host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = runs.Root, Token = token });
        var page = await browser.OpenUrlAsync($"{host.Url}/?run={ModelRuns.WithModel}", $"sessionStorage.setItem('trainer.token', '{token}');");

        await Expect(page.Locator("#model-section")).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#model-files a[data-file='weights.pt']").ClickAsync());

        Assert.That(download.SuggestedFilename, Is.EqualTo("weights.pt"));
        Assert.That(await File.ReadAllBytesAsync(await download.PathAsync()), Is.EqualTo(new byte[] { 0x50, 0x4B, 3, 4 }));
        Assert.That(browser.Problems, Is.Empty);
        await page.CloseAsync();
    }

    [Test]
    public async Task ARunWithoutAPackageHasNoModelSection()
    {
        await using var host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = runs.Root });
        var page = await browser.OpenUrlAsync($"{host.Url}/?run={ModelRuns.Plain}");

        await Expect(page.Locator("#status")).ToHaveTextAsync("completed");
        Assert.That(await page.Locator("#model-section").IsHiddenAsync(), Is.True);
        Assert.That(browser.Problems, Is.Empty, "no request for a manifest that is not there");
        await page.CloseAsync();
    }
}
