using Trainer.Hosting.Configuration;

namespace Trainer.Search;

/// <summary>What <c>trainer search</c> was asked to do.</summary>
public sealed class SearchRequest
{
    /// <summary>The recipe with a <c>Search</c> section.</summary>
    public required RecipeSource Recipe { get; init; }

    /// <summary>Configuration overrides applied to the recipe (and to every trial).</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>The study's budget of finished trials; default: <c>Search:Trials</c>.</summary>
    public int? Trials { get; init; }

    /// <summary>Worker processes, this one included. Default: 1.</summary>
    public int Workers { get; init; } = 1;

    /// <summary><c>sqlite:PATH</c>; default <c>sqlite:runs/studies.db</c>.</summary>
    public string? Storage { get; init; }

    /// <summary>Where the study's files go; default <c>runs/studies/&lt;study&gt;</c>.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>True in a worker started by another <c>trainer search</c>: it trains trials and writes no summary files.</summary>
    public bool ChildWorker { get; init; }
}
