namespace Trainer.Search;

/// <summary>
/// How a model-based sampler sees one dimension of the unit hypercube: continuous, discrete with cells of width
/// <see cref="Step"/> (each integer of an IntUniform range), or <see cref="Choices"/> unordered categories.
/// </summary>
/// <param name="Choices">The number of categories of a categorical dimension; 0 otherwise.</param>
/// <param name="Step">The width of a discrete dimension's cells in unit space; 0 for a continuous one.</param>
public readonly record struct SearchDimension(int Choices, double Step)
{
    /// <summary>A continuous dimension.</summary>
    public static SearchDimension Continuous => new(0, 0);

    /// <summary>True for a categorical dimension.</summary>
    public bool IsCategorical => Choices > 0;

    /// <summary>
    /// The dimension of <paramref name="distribution"/>: categories for a categorical one, cells for IntUniform, continuous
    /// otherwise (an IntLogUniform range is continuous on its log scale, as in Optuna, and rounded by the distribution).
    /// </summary>
    public static SearchDimension Of(IDistribution distribution) => distribution switch
    {
        CategoricalDistribution categorical => new SearchDimension(categorical.Choices.Count, 0),
        IntUniformDistribution integers => new SearchDimension(0, 1.0 / (integers.Max - integers.Min + 1)),
        _ => Continuous,
    };

    /// <summary>The category of a unit coordinate.</summary>
    public int Category(double unit) => Math.Clamp((int)Math.Floor(unit * Choices), 0, Choices - 1);

    /// <summary>The unit coordinate that stands for category <paramref name="index"/> (its cell's centre).</summary>
    public double UnitOf(int index) => (index + 0.5) / Choices;

    /// <summary>The centre of the discrete cell holding <paramref name="unit"/>.</summary>
    public double CellCentre(double unit)
    {
        var cells = (int)Math.Round(1 / Step);
        return (Math.Clamp((int)Math.Floor(unit * cells), 0, cells - 1) + 0.5) / cells;
    }
}
