namespace Trainer.Hosting;

/// <summary>The process exit codes of <c>trainer run</c>.</summary>
public static class ExitCodes
{
    /// <summary>Training completed, a callback stopped it early, or a control command stopped it.</summary>
    public const int Completed = 0;

    /// <summary>Training failed (an exception, a non-finite loss).</summary>
    public const int Failed = 1;

    /// <summary>Invalid input: a recipe value, an unknown plugin, a missing or corrupt data file.</summary>
    public const int InvalidInput = 2;

    /// <summary>Interrupted by Ctrl+C, SIGTERM or a service stop (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
