namespace Trainer.Plugins.EarlyStopping;

/// <summary>Default option values of <see cref="EarlyStoppingCallback"/>.</summary>
public static class EarlyStoppingDefaults
{
    /// <summary>The metric watched by default.</summary>
    public const string Monitor = "val_loss";

    /// <summary>Epochs without improvement before stopping.</summary>
    public const int Patience = 5;

    /// <summary>The first epoch that is checked.</summary>
    public const int StartFromEpoch = 1;
}
