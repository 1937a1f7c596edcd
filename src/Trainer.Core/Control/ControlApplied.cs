namespace Trainer.Control;

/// <summary>A control command the loop has applied: what changed, from what to what, where it came from.</summary>
/// <param name="Action">The command's wire name: "lr", "pause", "resume", "checkpoint" or "stop".</param>
/// <param name="Field">What changed: "lr", "status" or "checkpoint".</param>
/// <param name="OldValue">The value before (a number for "lr", a status name, or null).</param>
/// <param name="NewValue">The value after (a number for "lr", a status name, a checkpoint path).</param>
/// <param name="Source">Where the command came from, e.g. "http 127.0.0.1".</param>
/// <param name="Epoch">The epoch it was applied in.</param>
/// <param name="Step">The global step it was applied before.</param>
/// <param name="Time">When it was applied (UTC).</param>
public sealed record ControlApplied(string Action, string Field, object? OldValue, object? NewValue, string Source, int Epoch, long Step, DateTimeOffset Time);
