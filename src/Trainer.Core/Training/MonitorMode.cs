namespace Trainer.Training;

/// <summary>Whether a monitored metric improves by going down or up.</summary>
public enum MonitorMode
{
    /// <summary>Infer from the metric's name: accuracy-like names are maximised, everything else minimised.</summary>
    Auto,

    /// <summary>Lower is better (losses, error rates).</summary>
    Min,

    /// <summary>Higher is better (accuracies, scores).</summary>
    Max,
}
