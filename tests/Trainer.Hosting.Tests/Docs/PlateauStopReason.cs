namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: plateau-stop-reason
/// <summary>Why PlateauStop ended a run; summary.json's <c>stopReason</c> is the name in kebab case.</summary>
public enum PlateauStopReason
{
    /// <summary>The monitored loss did not improve for Patience epochs ("no-improvement").</summary>
    NoImprovement,

    /// <summary>The monitored loss became NaN or infinite ("not-finite").</summary>
    NotFinite,
}
// end-snippet
