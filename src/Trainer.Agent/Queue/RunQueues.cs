using System.Text.RegularExpressions;
using Trainer.Recipes;

namespace Trainer.Agent.Queue;

/// <summary>Opens the run queue a location names.</summary>
public static partial class RunQueues
{
    /// <summary>
    /// Opens <c>sqlite:PATH</c> (a file, created with its folder when missing) or <c>postgres:CONNECTION</c> (a PostgreSQL
    /// connection string, e.g. <c>postgres:Host=db;Username=trainer;Password=…;Database=trainer</c>).
    /// </summary>
    /// <exception cref="RecipeException">The location is neither form, or the queue cannot be opened.</exception>
    public static IRunQueue Open(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(location["sqlite:".Length..]))
            return new SqliteRunQueue(location["sqlite:".Length..]);
        if (location.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(location["postgres:".Length..]))
            return new PostgresRunQueue(location["postgres:".Length..]);
        throw new RecipeException($"Run queue '{Password().Replace(location, "$1…")}' is not supported; use sqlite:PATH or postgres:CONNECTION.");
    }

    // A mistyped PostgreSQL location still must not print its password.
    [GeneratedRegex("((?:password|pwd)\\s*=)[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex Password();
}
