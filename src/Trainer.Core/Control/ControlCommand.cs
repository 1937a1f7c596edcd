namespace Trainer.Control;

/// <summary>A request to steer a running loop, applied by the loop itself at the next batch boundary.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Source">Where it came from, for the log: e.g. "http 127.0.0.1" (the connection's address).</param>
public sealed record ControlCommand(ControlAction Action, string Source)
{
    /// <summary>The new learning rate (with <see cref="ControlAction.LearningRate"/>); exclusive with <see cref="Factor"/>.</summary>
    public double? Value { get; init; }

    /// <summary>The factor to multiply the learning rate by (with <see cref="ControlAction.LearningRate"/>); exclusive with <see cref="Value"/>.</summary>
    public double? Factor { get; init; }

    /// <summary>The command's wire name: "lr", "pause", "resume", "checkpoint" or "stop".</summary>
    public string Name => NameOf(Action);

    /// <summary>The wire name of <paramref name="action"/>.</summary>
    public static string NameOf(ControlAction action) => action switch
    {
        ControlAction.LearningRate => "lr",
        _ => action.ToString().ToLowerInvariant(),
    };

    /// <summary>The action named <paramref name="name"/> ("lr", "pause", …), or null for an unknown name.</summary>
    public static ControlAction? Parse(string? name) => name switch
    {
        "lr" => ControlAction.LearningRate,
        "pause" => ControlAction.Pause,
        "resume" => ControlAction.Resume,
        "checkpoint" => ControlAction.Checkpoint,
        "stop" => ControlAction.Stop,
        _ => null,
    };

    /// <summary>The wire names of every action.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lr", "pause", "resume", "checkpoint", "stop"];

    /// <summary>The first problem with this command as (field, message), or null when it is valid.</summary>
    public (string Field, string Message)? Validate()
    {
        if (Action != ControlAction.LearningRate)
            return Value is null && Factor is null ? null : ("action", $"'{Name}' takes no value or factor.");
        return (Value, Factor) switch
        {
            (null, null) => ("value", "lr needs a 'value' (the new learning rate) or a 'factor' to multiply it by."),
            ({ }, { }) => ("factor", "lr takes either 'value' or 'factor', not both."),
            ({ } v, _) when !(v > 0) || !double.IsFinite(v) => ("value", $"value must be a finite number above 0; got {v}."),
            (_, { } f) when !(f > 0) || !double.IsFinite(f) => ("factor", $"factor must be a finite number above 0; got {f}."),
            _ => null,
        };
    }
}
