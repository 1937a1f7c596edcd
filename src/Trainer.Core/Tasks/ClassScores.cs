namespace Trainer.Tasks;

/// <summary>One class's line of a <see cref="ClassificationReport"/>.</summary>
/// <param name="Name">The class's name.</param>
/// <param name="Precision">Correct predictions of the class over all predictions of it; 0 when it was never predicted.</param>
/// <param name="Recall">Correct predictions of the class over its examples; 0 when it has none.</param>
/// <param name="F1">The harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">The number of examples whose actual class it is.</param>
public sealed record ClassScores(string Name, double Precision, double Recall, double F1, long Support);
