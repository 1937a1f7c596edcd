namespace Trainer.Data;

/// <summary>A table source's rows before encoding: the training file and, when the recipe gives one, the test file.</summary>
/// <param name="Train">The training file's rows (validation and, without <paramref name="Test"/>, test rows are split off them).</param>
/// <param name="Test">The test file's rows (<c>Data:TestPath</c>), or null.</param>
public sealed record TableRows(TableFile Train, TableFile? Test);
