using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Trainer.Control;
using Trainer.Hosting;
using Trainer.Serving.Http;
using Trainer.Serving.Live;

namespace Trainer.Serving;

/// <summary>
/// Builds a run's Generic Host with Kestrel in it (ASP.NET Core from the shared framework): the training service and
/// the live API share one host, so the API lives exactly as long as the run. Without serving asked for (neither
/// <c>--serve</c> nor <c>Serve:Urls</c>), it builds the plain host.
/// </summary>
/// <param name="serve">True when <c>--serve</c> was given; else serving follows the configuration's <c>Serve:Urls</c>.</param>
public sealed class ServingHostFactory(bool serve) : IRunHostFactory
{
    /// <inheritdoc />
    public IEnumerable<string> Validate(IConfiguration configuration)
    {
        if (!Serves(configuration)) return [];
        var errors = new List<string>();
        ServeOptions.Bind(configuration, errors);
        return errors;
    }

    /// <inheritdoc />
    public IHost CreateHost(PreparedRun run, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!Serves(run.Configuration)) return TrainerApplication.CreateHost(run, logger);
        var options = ServeOptions.Bind(run.Configuration, []);
        var control = new TrainingControl(run.Callbacks.OfType<ICheckpointOnDemand>().Any());
        var live = new LiveRun(run.Run.RunId, run.Recipe.Name, run.Run.RecipeJson ?? "{}", run.Recipe.Training.Epochs, run.StartedAt, control);
        run = run.WithCallback(new LiveRunCallback(live));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        TrainerApplication.AddRunServices(builder, run, logger);
        builder.Services.AddSingleton(control);
        builder.Services.AddSingleton(live);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<TrainerMeter>();
        builder.Services.AddHostedService<EndpointFileService>();
        builder.Services.AddHostedService<ProgressPublisher>();
        builder.Services.AddHealthChecks().AddCheck<StallHealthCheck>("training");
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(TrainerMeter.Name).AddPrometheusExporter());
        builder.WebHost.UseUrls([.. options.UrlList.Select(ListenUrl)]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });

        var app = builder.Build();
        app.UseMiddleware<BearerTokenMiddleware>();
        app.MapLiveRun();
        return app;
    }

    private bool Serves(IConfiguration configuration) => serve || ServeOptions.IsConfigured(configuration);

    /// <summary>Kestrel cannot pick a free port for "localhost" (two addresses): listen on 127.0.0.1 then.</summary>
    private static string ListenUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.Host == "localhost" && uri.Port == 0
            ? $"{uri.Scheme}://127.0.0.1:0"
            : url;
}
