namespace Trainer.Callbacks;

/// <summary>A callback's request to end training after the current step, with why.</summary>
/// <param name="Reason">A short code, e.g. "patience-exhausted"; written to summary.json as <c>stopReason</c>.</param>
/// <param name="Message">One sentence for people, logged when the run ends.</param>
/// <param name="Source">The name of the callback that asked.</param>
public sealed record StopRequest(string Reason, string Message, string Source);
