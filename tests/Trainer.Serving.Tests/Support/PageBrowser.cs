using Microsoft.Playwright;

namespace Trainer.Serving.Tests.Support;

/// <summary>
/// Headless Chromium (the system's, never a downloaded one; <c>TRAINER_CHROMIUM</c>, default /usr/bin/chromium) opening
/// the dashboard, recording every console error or warning, page error, failed request and request to another origin.
/// </summary>
public sealed class PageBrowser : IAsyncDisposable
{
    /// <summary>The environment variable naming the Chromium executable; default /usr/bin/chromium.</summary>
    public const string Variable = "TRAINER_CHROMIUM";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private PageBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    /// <summary>Problems seen since the last <see cref="OpenAsync"/>.</summary>
    public List<string> Problems { get; } = [];

    private IPage? current;

    public static async Task<PageBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
            Assert.Fail($"Chromium is not at '{executable}': install it with 'apt-get install chromium', or set {Variable} to a Chromium or Chrome executable.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
        return new PageBrowser(playwright, browser);
    }

    /// <summary>Opens <paramref name="url"/> in a new page (1280×900) and waits until it has loaded.</summary>
    public async Task<IPage> OpenAsync(string url)
    {
        // The previous test's page goes first: it would go on reconnecting to its stopped server, and its failed
        // requests would count against this test.
        if (current is { IsClosed: false }) await current.CloseAsync();
        Problems.Clear();
        var origin = new Uri(url).GetLeftPart(UriPartial.Authority);
        var page = current = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        void Add(string problem)
        {
            if (ReferenceEquals(page, current)) Problems.Add(problem);
        }
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning") Add($"console {message.Type}: {message.Text}");
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) Add($"HTTP {response.Status}: {response.Url}");
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin + "/", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                Add($"request outside the page's origin: {request.Url}");
        };
        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.That(response?.Ok, Is.True, $"{url} opened");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
