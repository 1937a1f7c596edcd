namespace Trainer.Tasks;

/// <summary>The recipe names of <see cref="TaskKind"/> values.</summary>
public static class TaskKinds
{
    /// <summary>The names <c>Task:Kind</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["classification", "regression", "binary", "multilabel"];

    /// <summary>Parses a <c>Task:Kind</c> value (case-insensitive).</summary>
    public static bool TryParse(string? name, out TaskKind kind)
    {
        var index = Names.ToList().FindIndex(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        kind = index < 0 ? TaskKind.Classification : (TaskKind)index;
        return index >= 0;
    }

    /// <summary>The recipe name of <paramref name="kind"/>.</summary>
    public static string Name(TaskKind kind) => Names[(int)kind];
}
