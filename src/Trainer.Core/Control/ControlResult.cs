namespace Trainer.Control;

/// <summary>The answer of <see cref="TrainingControl.Submit"/>: accepted (queued for the next batch boundary) or refused, naming the field.</summary>
public sealed record ControlResult
{
    /// <summary>True when the command was queued.</summary>
    public bool Accepted => Rejection is null;

    /// <summary>Why it was refused; null when accepted.</summary>
    public ControlRejection? Rejection { get; init; }

    /// <summary>The field at fault ("value", "factor", "action"); null when accepted.</summary>
    public string? Field { get; init; }

    /// <summary>One sentence saying what is wrong and what is accepted; null when accepted.</summary>
    public string? Message { get; init; }

    /// <summary>The accepted result.</summary>
    public static ControlResult Queued { get; } = new();

    /// <summary>A refusal.</summary>
    public static ControlResult Refused(ControlRejection rejection, string field, string message) =>
        new() { Rejection = rejection, Field = field, Message = message };
}
