using Trainer.Hosting.Configuration;

namespace Trainer.Hosting;

/// <summary>What <c>trainer run</c> was asked to do.</summary>
public sealed record RunRequest
{
    /// <summary>The recipe to run.</summary>
    public required RecipeSource Recipe { get; init; }

    /// <summary>Configuration overrides, e.g. <c>--Training:Epochs=3</c>.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>The run directory; default <c>runs/&lt;run-id&gt;</c> under the working directory.</summary>
    public string? RunDirectory { get; init; }

    /// <summary>Settings read before the recipe (e.g. Serilog sinks for every run). Default: appsettings.json beside the program.</summary>
    public string? AppSettings { get; init; } = Path.Combine(AppContext.BaseDirectory, "appsettings.json");

    /// <summary>Continue the run in <see cref="RunDirectory"/> from its latest valid checkpoint. Default: false.</summary>
    public bool Resume { get; init; }

    /// <summary>Callbacks added after the recipe's own (e.g. a search's reporter and pruner).</summary>
    public IReadOnlyList<Trainer.Callbacks.TrainingCallback> ExtraCallbacks { get; init; } = [];

    /// <summary>Builds the run's host instead of <see cref="TrainerApplication.CreateHost"/> (e.g. to serve it over HTTP); its settings are validated with the recipe. Default: null.</summary>
    public IRunHostFactory? HostFactory { get; init; }

    /// <summary>Write human log output to the console. Default: true.</summary>
    public bool Console { get; init; } = true;

    /// <summary>
    /// Show a live progress display (bars, ETA, smoothed loss, learning rate) with log lines above it, when
    /// the application has a live display (<see cref="Features.RunFeatures.LiveDisplay"/>) and it says the console is an interactive terminal. Default: false.
    /// </summary>
    public bool LiveProgress { get; init; }
}
