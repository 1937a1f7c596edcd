namespace Trainer.Plugins.Checkpoints;

/// <summary>Default option values of <see cref="CheckpointCallback"/>.</summary>
public static class CheckpointDefaults
{
    /// <summary>Epochs between periodic checkpoints.</summary>
    public const int EveryEpochs = 1;

    /// <summary>Periodic checkpoints kept.</summary>
    public const int KeepLast = 3;

    /// <summary>The folder of checkpoints inside the run directory.</summary>
    public const string Folder = Trainer.Runs.RunFiles.Checkpoints;

    /// <summary>The file name of the best checkpoint.</summary>
    public const string BestFile = "best.ckpt";
}
