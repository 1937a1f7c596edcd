using Microsoft.Playwright;

namespace Trainer.Tests.Shared;

/// <summary>
/// Headless Chromium (the system's, never a downloaded one; <c>TRAINER_CHROMIUM</c>, default /usr/bin/chromium) opening
/// report files or a served page (1280×900), recording every console error or warning, page error, failed request,
/// HTTP error and request that leaves the page (for a file, anything but file: and data: URLs; for a served page,
/// anything outside its origin but data: URLs). Shared by the test projects (tests/Shared, linked into each).
/// </summary>
public sealed class HeadlessBrowser : IAsyncDisposable
{
    /// <summary>The environment variable naming the Chromium executable; default /usr/bin/chromium.</summary>
    public const string Variable = "TRAINER_CHROMIUM";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private HeadlessBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    /// <summary>Problems seen since the last <see cref="OpenAsync"/>.</summary>
    public List<string> Problems { get; } = [];

    public static async Task<HeadlessBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
            Assert.Fail($"Chromium is not at '{executable}': install it with 'apt-get install chromium', or set {Variable} to a Chromium or Chrome executable.");
        // Expectations wait for what they mean; these bounds only stop a broken test, so they allow for a loaded machine.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
        return new HeadlessBrowser(playwright, browser);
    }

    /// <summary>Opens <paramref name="file"/> as a file:// URL in a new page and waits until it has loaded.</summary>
    public async Task<IPage> OpenAsync(string file)
    {
        var page = await NewPageAsync(url => url.StartsWith("file:", StringComparison.Ordinal));
        var response = await page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.That(response?.Ok ?? true, Is.True, $"{file} opened");
        return page;
    }

    /// <summary>
    /// Opens a served page (<paramref name="url"/>, http) in a new page and waits until it has loaded;
    /// <paramref name="initScript"/>, if any, runs before the page's own scripts.
    /// </summary>
    public async Task<IPage> OpenUrlAsync(string url, string? initScript = null)
    {
        var origin = new Uri(url).GetLeftPart(UriPartial.Authority) + "/";
        var page = await NewPageAsync(request => request.StartsWith(origin, StringComparison.Ordinal));
        if (initScript is not null) await page.AddInitScriptAsync(initScript);
        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.That(response?.Ok, Is.True, $"{url} opened");
        return page;
    }

    private async Task<IPage> NewPageAsync(Func<string, bool> inside)
    {
        // The previous page goes first, so nothing it still does (a live page reconnecting) counts against this one.
        if (current is { IsClosed: false }) await current.CloseAsync();
        Problems.Clear();
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
            if (!inside(request.Url) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                Add($"request outside the page: {request.Url}");
        };
        return page;
    }

    private IPage? current;

    /// <summary>The natural width of every image on the page (0 for one that did not render).</summary>
    public static async Task<int[]> ImageWidthsAsync(IPage page) =>
        await page.EvalOnSelectorAllAsync<int[]>("img", "images => images.map(i => i.complete ? i.naturalWidth : 0)");

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
