namespace Trainer.Recipes;

/// <summary>
/// A problem with what the user supplied (a recipe value, a plugin name, a data file): reported as one clear
/// message, without a stack trace, and exit code 2.
/// </summary>
public class RecipeException : Exception
{
    /// <summary>Creates the exception from one or more messages, each naming the field or file and the fix.</summary>
    public RecipeException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    /// <summary>Creates the exception from one message.</summary>
    public RecipeException(string error, Exception? inner = null)
        : base(error, inner) => Errors = [error];

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Errors { get; }
}
