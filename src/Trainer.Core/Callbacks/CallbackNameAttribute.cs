namespace Trainer.Callbacks;

/// <summary>
/// Names a callback for recipes (<c>"Type": "EarlyStopping"</c>). Without it, the class name without a trailing
/// "Callback" is used.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CallbackNameAttribute(string name) : Attribute
{
    /// <summary>The name recipes use.</summary>
    public string Name { get; } = name;
}
