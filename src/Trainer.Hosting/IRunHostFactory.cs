using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Trainer.Hosting;

/// <summary>
/// Builds the Generic Host a run trains in, when it needs more than <see cref="TrainerApplication.CreateHost"/> gives
/// (the live HTTP API of <c>trainer run --serve</c>). The host must hold the run's services:
/// <see cref="TrainerApplication.AddRunServices"/>.
/// </summary>
public interface IRunHostFactory
{
    /// <summary>
    /// Problems with the factory's own settings in <paramref name="configuration"/>, one line each naming the
    /// configuration path; checked with the recipe, before anything is written.
    /// </summary>
    IEnumerable<string> Validate(IConfiguration configuration);

    /// <summary>Builds the host of <paramref name="run"/>, logging through <paramref name="logger"/>.</summary>
    IHost CreateHost(PreparedRun run, Serilog.ILogger logger);
}
