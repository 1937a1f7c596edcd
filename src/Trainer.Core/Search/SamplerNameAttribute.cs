namespace Trainer.Search;

/// <summary>
/// Makes an <see cref="ISampler"/> in a plugin assembly available to recipes as <c>Search:Sampler:Type</c> under this name.
/// The class needs a public constructor taking nothing or one options object (bound from <c>Search:Sampler:Options</c>).
/// </summary>
/// <param name="name">The name recipes use.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SamplerNameAttribute(string name) : Attribute
{
    /// <summary>The name recipes use.</summary>
    public string Name { get; } = name;
}
