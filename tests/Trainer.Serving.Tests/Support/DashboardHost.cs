using Microsoft.AspNetCore.Builder;
using Trainer.Serving.Dashboard;

namespace Trainer.Serving.Tests.Support;

/// <summary>A started <c>trainer dashboard</c> application on a loopback ephemeral port, with an HTTP client for it.</summary>
public sealed class DashboardHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private DashboardHost(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
        Client = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    public HttpClient Client { get; }

    public static async Task<DashboardHost> StartAsync(DashboardOptions options)
    {
        Assert.That(DashboardServer.Validate(options), Is.Empty);
        var app = DashboardServer.Create(options);
        await app.StartAsync();
        return new DashboardHost(app, DashboardServer.Addresses(app).Single());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
