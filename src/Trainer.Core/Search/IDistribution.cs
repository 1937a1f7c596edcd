namespace Trainer.Search;

/// <summary>
/// A hyperparameter's distribution, expressed through its own scale: <see cref="FromUnit"/> maps u ∈ [0, 1) to a value
/// so that a uniform u gives the intended distribution (log-uniform for a learning rate, 1−β log-uniform for a β), and
/// <see cref="ToUnit"/> maps a value back. Samplers work in that unit space, so "shrink the range around the best" and
/// "spread evenly" happen on the right scale.
/// </summary>
public interface IDistribution
{
    /// <summary>The value at position <paramref name="unit"/> ∈ [0, 1) of the distribution's scale.</summary>
    object FromUnit(double unit);

    /// <summary>The position of <paramref name="value"/> on the distribution's scale, in [0, 1].</summary>
    double ToUnit(object value);

    /// <summary>Problems with the distribution's settings, each naming <paramref name="path"/>; empty when valid.</summary>
    IEnumerable<string> Validate(string path);
}
