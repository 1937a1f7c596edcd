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
using Trainer.Serving.Security;

namespace Trainer.Serving;

/// <summary>
/// Builds a run's Generic Host with Kestrel in it (ASP.NET Core from the shared framework): the training service and
/// the live API share one host, so the API lives exactly as long as the run. Without serving asked for (neither
/// <c>--serve</c> nor <c>Serve:Urls</c>), it builds the plain host. Either way the run publishes the <c>Trainer</c>
/// meter (<c>dotnet-counters monitor --counters Trainer</c>).
/// </summary>
/// <param name="serve">True when <c>--serve</c> was given; else serving follows the configuration's <c>Serve:Urls</c>.</param>
public sealed class ServingHostFactory(bool serve) : IRunHostFactory
{
    /// <inheritdoc />
    public IEnumerable<string> Validate(IConfiguration configuration)
    {
        if (!Serves(configuration)) return [];
        var errors = new List<string>();
        var options = ServeOptions.Bind(configuration, errors);
        // A recipe is a file someone may hand you: it must not open the run to the network without the person running it asking.
        if (!serve && options.ListensBeyondLoopback)
            errors.Add($"Serve:Urls '{options.Urls}' listens beyond this machine, which a recipe or setting cannot ask for on its own: " +
                       "give the address on the command line with --serve URL.");
        return errors;
    }

    /// <inheritdoc />
    public IHost CreateHost(PreparedRun run, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(run);
        var options = Serves(run.Configuration) ? ServeOptions.Bind(run.Configuration, []) : null;
        var control = new TrainingControl(run.Callbacks.OfType<ICheckpointOnDemand>().Any())
        {
            LearningRateRange = options is null ? (1e-10, 10) : (options.MinLearningRate, options.MaxLearningRate),
        };
        var live = new LiveRun(run.Run.RunId, run.Recipe.Name, run.Run.RecipeJson ?? "{}", run.Recipe.Training.Epochs, run.StartedAt, control);
        run = run.WithCallback(new LiveRunCallback(live));
        if (options is null)
        {
            var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() });
            TrainerApplication.AddRunServices(plain, run, logger);
            AddLiveRun(plain.Services, control, live);
            return plain.Build();
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        TrainerApplication.AddRunServices(builder, run, logger);
        AddLiveRun(builder.Services, control, live);
        builder.Services.AddSingleton(options);
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

        builder.Services.AddServerSecurity(new ServerGuard(options.Token, ServerGuard.HostsFor(options.UrlList, options.AllowedHostList),
            $"the token is Serve:Token, or {ServeOptions.TokenVariable} for trainer ctl."));

        var app = builder.Build();
        app.UseServerSecurity();
        app.MapLiveRun();
        return app;
    }

    private bool Serves(IConfiguration configuration) => serve || ServeOptions.IsConfigured(configuration);

    private static void AddLiveRun(IServiceCollection services, TrainingControl control, LiveRun live)
    {
        services.AddSingleton(_ => control); // built by a factory, so the container disposes it with the host
        services.AddSingleton(live);
        services.AddSingleton<TrainerMeter>();
        services.AddHostedService<TrainerMeterService>();
    }

    /// <summary>Kestrel cannot pick a free port for "localhost" (two addresses): listen on 127.0.0.1 then.</summary>
    private static string ListenUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.Host == "localhost" && uri.Port == 0
            ? $"{uri.Scheme}://127.0.0.1:0"
            : url;
}
