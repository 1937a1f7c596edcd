namespace Trainer.Hosting.Experiments;

/// <summary>
/// An experiment: a recipe whose <c>Variants</c> (named override sets), optionally crossed with an
/// <c>Experiment:Grid</c> of values, are run one after another and compared in one report.
/// </summary>
public sealed class ExperimentSpec
{
    /// <summary>The metrics every experiment overlays, one chart each.</summary>
    public static readonly IReadOnlyList<string> DefaultMetrics = MetricsOf("accuracy");

    /// <summary>The per-epoch metrics plotted by default for a task whose primary metric is <paramref name="primary"/>.</summary>
    public static IReadOnlyList<string> MetricsOf(string primary) => ["train_loss", "val_loss", "train_" + primary, "val_" + primary, "lr"];

    /// <summary>The recipe's name.</summary>
    public required string Name { get; init; }

    /// <summary>The variants, in the recipe's order (each variant's grid points in grid order).</summary>
    public required IReadOnlyList<ExperimentVariant> Variants { get; init; }

    /// <summary>The per-epoch metrics overlaid in <c>plots/</c>: <see cref="DefaultMetrics"/> plus <c>Experiment:Metrics</c>.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>The metric the comparison is about (<c>Experiment:Objective</c>); default <c>val_accuracy</c>.</summary>
    public required string Objective { get; init; }

    /// <summary>The grid's numeric axis, when it has exactly one: the objective is plotted against it, one line per variant.</summary>
    public GridAxis? SweepAxis { get; init; }
}
