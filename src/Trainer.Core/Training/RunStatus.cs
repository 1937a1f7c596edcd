namespace Trainer.Training;

/// <summary>How a run ended; written to summary.json in kebab case ("stopped-early").</summary>
public enum RunStatus
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>A callback asked to stop (early stopping, a threshold); counts as success.</summary>
    StoppedEarly,

    /// <summary>The host was asked to shut down (Ctrl+C, SIGTERM, service stop).</summary>
    Interrupted,

    /// <summary>Training failed: an exception, a non-finite loss or bad input.</summary>
    Failed,

    /// <summary>
    /// Someone asked the run to stop through its control channel (<c>trainer ctl RUN_DIR stop</c>, the HTTP API): it ends
    /// after the current batch like an interruption (checkpoint, summary) but counts as success.
    /// </summary>
    Stopped,
}
