namespace Trainer.Data;

/// <summary>
/// Names a data source plugin for recipes' <c>Data:Source</c> (e.g. <c>image-folder</c>); without it the class name, less
/// "DataSource" or "Source", is used. Names compare without regard to case.
/// </summary>
/// <param name="name">The name recipes use.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DataSourceNameAttribute(string name) : Attribute
{
    /// <summary>The name recipes use.</summary>
    public string Name { get; } = name;
}
