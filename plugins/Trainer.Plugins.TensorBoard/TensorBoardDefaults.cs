namespace Trainer.Plugins.TensorBoard;

/// <summary>Default option values of <see cref="TensorBoardCallback"/>.</summary>
public static class TensorBoardDefaults
{
    /// <summary>The event folder inside the run directory.</summary>
    public const string Folder = Trainer.Runs.RunFiles.TensorBoard;
}
