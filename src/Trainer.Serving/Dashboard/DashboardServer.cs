using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trainer.Serving.Security;

namespace Trainer.Serving.Dashboard;

/// <summary>The web application behind <c>trainer dashboard</c>: the page and the dashboard-mode API over a runs folder, a study store and a run queue.</summary>
public static class DashboardServer
{
    /// <summary>Problems with <paramref name="options"/>, one line each naming the option and the fix; empty when it can start.</summary>
    /// <param name="options">The options to check.</param>
    public static IReadOnlyList<string> Validate(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!Directory.Exists(options.RunsDirectory))
            problems.Add($"--runs '{options.RunsDirectory}' is not a folder; give the folder that holds run directories (default: runs).");
        if (DashboardSource.Check(options) is { } storage) problems.Add(storage);
        if (options.Token is { Length: 0 })
            problems.Add("--token is empty; give a secret, or leave the option out on a loopback address.");
        else if (options.Token is { } token && TokenRules.Problem(token, "--token") is { } weak)
            problems.Add(weak);
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ||
                uri.Scheme is not ("http" or "https"))
                problems.Add($"--urls '{url}' is not an address; write e.g. http://127.0.0.1:0 (loopback, any free port).");
            else if (!IsLoopback(uri) && string.IsNullOrEmpty(options.Token))
                problems.Add($"--urls {url} is reachable from other machines, so it needs a token: give --token TOKEN " +
                             "(every API request then needs 'Authorization: Bearer TOKEN'), or listen on http://127.0.0.1:0.");
        }
        return problems;
    }

    /// <summary>Builds the application (not started); <see cref="Validate"/> first.</summary>
    /// <param name="options">What to serve and where.</param>
    public static WebApplication Create(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(_ => new DashboardSource(options)); // created by the container, so disposed with it (closing the store)
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.Services.AddServerSecurity(new ServerGuard(options.Token is { Length: > 0 } t ? t : null, ServerGuard.HostsFor(urls, options.AllowedHosts),
            "the page's token field sends it; it is the dashboard's --token."));
        var app = builder.Build();
        app.UseServerSecurity();
        DashboardPage.Map(app);
        DashboardApi.Map(app, app.Services.GetRequiredService<DashboardSource>());
        return app;
    }

    /// <summary>The addresses a started application listens on, with the real port of a <c>:0</c> binding.</summary>
    /// <param name="app">A started application.</param>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [.. app.Urls];
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
