using Trainer.Hosting.Configuration;

namespace Trainer.Hosting.Experiments;

/// <summary>What <c>trainer run</c> was asked to do with a recipe that has <c>Variants</c>.</summary>
public sealed class ExperimentRequest
{
    /// <summary>The experiment's recipe.</summary>
    public required RecipeSource Recipe { get; init; }

    /// <summary>Overrides applied to every variant after its own (e.g. <c>--Training:Epochs=1</c> for a smoke run).</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>The experiment directory; default <c>runs/&lt;name&gt;-&lt;time&gt;-&lt;id&gt;</c>.</summary>
    public string? RunDirectory { get; init; }

    /// <summary>Continue the experiment in <see cref="RunDirectory"/>: finished variants are kept, the others resumed or rerun.</summary>
    public bool Resume { get; init; }

    /// <summary>Settings read before the recipe (see <see cref="RunRequest.AppSettings"/>).</summary>
    public string? AppSettings { get; init; } = Path.Combine(AppContext.BaseDirectory, "appsettings.json");

    /// <summary>Write human log output to the console. Default: true.</summary>
    public bool Console { get; init; } = true;

    /// <summary>Show each variant's live progress display on an interactive terminal (see <see cref="RunRequest.LiveProgress"/>).</summary>
    public bool LiveProgress { get; init; }
}
