using Trainer.Hosting.Features;
using Trainer.Reports;

// Where .NET users look for service-collection extensions.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Trainer's plots to an application that embeds training with <c>AddTrainer</c>.</summary>
public static class ReportsServiceCollectionExtensions
{
    /// <summary>Draws each embedded run's PNG plots into its run directory's <c>plots/</c> folder when it ends.</summary>
    public static IServiceCollection AddTrainerPlots(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IRunPlotter, PngPlotter>();
        return services;
    }
}
