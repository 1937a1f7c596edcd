namespace Trainer.Plugins.RunningStats;

/// <summary>Default option values of <see cref="RunningStatsCallback"/>.</summary>
public static class RunningStatsDefaults
{
    /// <summary>β of the smoothed loss, accuracy and throughput (a window of about 50 steps).</summary>
    public const double Beta = 0.98;

    /// <summary>Steps between smoothed-statistics log events.</summary>
    public const int LogEvery = 50;

    /// <summary>β of the weight average (a window of about 1,000 steps).</summary>
    public const double WeightBeta = 0.999;

    /// <summary>Epoch metric names the callback adds.</summary>
    public const string LossMetric = "ewma_train_loss", AccuracyMetric = "ewma_train_accuracy",
        AverageValLossMetric = "ema_val_loss", AverageValAccuracyMetric = "ema_val_accuracy";
}
