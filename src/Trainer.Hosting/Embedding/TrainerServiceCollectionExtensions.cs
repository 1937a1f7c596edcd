using Microsoft.Extensions.DependencyInjection.Extensions;
using Trainer.Callbacks;
using Trainer.Hosting.Embedding;
using Trainer.Hosting.Plugins;

// Where .NET users look for service-collection extensions: no extra using beyond the options and result types.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the trainer to an application that already uses the Generic Host.</summary>
public static class TrainerServiceCollectionExtensions
{
    /// <summary>
    /// Trains the recipe <paramref name="configure"/> names as a hosted service of this application. Callbacks come from
    /// the recipe (plugins beside the application, and its <c>Plugins</c> list) and from the service collection (see
    /// <see cref="AddTrainingCallback{TCallback}"/>); inject <see cref="TrainerRun"/> to await the result.
    /// </summary>
    public static IServiceCollection AddTrainer(this IServiceCollection services, Action<TrainerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TrainerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<TrainerOptions>, TrainerOptionsValidator>());
        services.TryAddSingleton(_ => PluginCatalog.FromApplicationDirectory());
        services.TryAddSingleton<TrainerRun>();
        services.AddHostedService<EmbeddedTrainingService>();
        return services;
    }

    /// <summary>Registers a callback the trainer adds after the recipe's own; it is built by dependency injection, so it can take the application's services.</summary>
    public static IServiceCollection AddTrainingCallback<TCallback>(this IServiceCollection services) where TCallback : TrainingCallback
    {
        services.AddSingleton<TrainingCallback, TCallback>();
        return services;
    }
}
