using Microsoft.Extensions.Options;

namespace Trainer.Hosting.Embedding;

/// <summary>
/// Checks <see cref="TrainerOptions"/> when the application starts (<c>ValidateOnStart</c>): a recipe must be named,
/// by a file that exists or by its JSON. The recipe's own values are checked as <c>trainer run</c> checks them, and
/// reported through <see cref="TrainerRun"/>.
/// </summary>
internal sealed class TrainerOptionsValidator : IValidateOptions<TrainerOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainerOptions options)
    {
        if (options.RecipePath is null && string.IsNullOrWhiteSpace(options.RecipeJson))
            return ValidateOptionsResult.Fail("AddTrainer: set RecipePath (a recipe file) or RecipeJson (its text).");
        if (options.RecipePath is { } path && !File.Exists(path))
            return ValidateOptionsResult.Fail($"AddTrainer: RecipePath '{path}' does not exist (looked at {Path.GetFullPath(path)}).");
        return ValidateOptionsResult.Success;
    }
}
