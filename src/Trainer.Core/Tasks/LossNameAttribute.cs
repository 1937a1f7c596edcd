namespace Trainer.Tasks;

/// <summary>Names a loss plugin for recipes' <c>Task:Loss</c>; without it the class name less "Loss" is used.</summary>
/// <param name="name">The name recipes use.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LossNameAttribute(string name) : Attribute
{
    /// <summary>The name recipes use.</summary>
    public string Name { get; } = name;
}
