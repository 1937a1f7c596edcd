using Trainer.Hosting.Features;
using Trainer.Hosting.Platform;
using Trainer.Hosting.Plugins;

namespace Trainer.Hosting.Runs;

/// <summary>
/// Runs configurations one after another in this process (a search's trials, an experiment's variants), each as an
/// ordinary hosted run of <see cref="TrainerApplication"/>, and gives its memory back before the next one starts.
/// </summary>
/// <param name="catalog">The plugins the recipes may name.</param>
/// <param name="features">Plots and a live display for each run, when present.</param>
public sealed class RunSequence(PluginCatalog catalog, RunFeatures features)
{
    /// <summary>Runs <paramref name="request"/> to its end; user errors go to <paramref name="error"/>. Returns an <see cref="ExitCodes"/> value.</summary>
    public async Task<int> RunNextAsync(RunRequest request, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await new TrainerApplication(catalog, error, features).RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ProcessMemory.Release();
        }
    }
}
