namespace Trainer.Inference;

/// <summary>
/// The network a package's weights belong to: a built-in <see cref="Kind"/> whose settings are the recipe's <c>Model</c>
/// section, or a plugin model (<see cref="Type"/>) whose factory class and assembly are recorded.
/// </summary>
public sealed record ModelArchitecture
{
    /// <summary>The built-in kind (<c>mlp</c>, <c>cnn</c>); null for a plugin model.</summary>
    public string? Kind { get; init; }

    /// <summary>The plugin model's name (<c>Model:Type</c>); null for a built-in kind.</summary>
    public string? Type { get; init; }

    /// <summary>The plugin model factory's full class name.</summary>
    public string? Factory { get; init; }

    /// <summary>The plugin model factory's assembly name.</summary>
    public string? Assembly { get; init; }

    /// <summary>The number of trainable values.</summary>
    public long Parameters { get; init; }
}
