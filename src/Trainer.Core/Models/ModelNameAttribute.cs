namespace Trainer.Models;

/// <summary>Names a model factory for recipes' <c>Model:Type</c>; without it the class name (less "ModelFactory" or "Factory") is used.</summary>
/// <param name="name">The name recipes use.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelNameAttribute(string name) : Attribute
{
    /// <summary>The name recipes use.</summary>
    public string Name { get; } = name;
}
