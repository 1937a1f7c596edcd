namespace Trainer.Plugins.EarlyStopping;

/// <summary>Why early stopping ended a run; written to summary.json as <c>stopReason</c> in kebab case.</summary>
public enum EarlyStoppingReason
{
    /// <summary>The monitored metric did not improve for <see cref="EarlyStoppingOptions.Patience"/> epochs.</summary>
    PatienceExhausted,

    /// <summary>The monitored metric reached <see cref="EarlyStoppingOptions.StoppingThreshold"/>.</summary>
    ThresholdReached,

    /// <summary>The monitored metric got worse than <see cref="EarlyStoppingOptions.DivergenceThreshold"/>.</summary>
    Diverged,

    /// <summary>The monitored metric became NaN or infinite.</summary>
    NonFinite,
}
