namespace Trainer.Plugins.GradientCheck;

/// <summary>The check of one parameter tensor.</summary>
/// <param name="Name">The parameter's name, e.g. "layers.fc1.weight".</param>
/// <param name="Shape">Its shape.</param>
/// <param name="EntriesChecked">Entries compared.</param>
/// <param name="Entries">All its entries.</param>
/// <param name="RelativeError">‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂) over the checked entries.</param>
/// <param name="Verdict">What that error says.</param>
public sealed record TensorGradientCheck(string Name, long[] Shape, long EntriesChecked, long Entries, double RelativeError, GradientCheckVerdict Verdict);
