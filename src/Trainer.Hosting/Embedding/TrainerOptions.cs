using Trainer.Hosting.Configuration;

namespace Trainer.Hosting.Embedding;

/// <summary>What an application that hosts the trainer (<see cref="Microsoft.Extensions.DependencyInjection.TrainerServiceCollectionExtensions.AddTrainer"/>) trains.</summary>
public sealed class TrainerOptions
{
    /// <summary>The recipe file to train; or set <see cref="RecipeJson"/>.</summary>
    public string? RecipePath { get; set; }

    /// <summary>The recipe as JSON text (relative paths resolve against the working directory); used when <see cref="RecipePath"/> is not set.</summary>
    public string? RecipeJson { get; set; }

    /// <summary>Overrides applied on top of the recipe, e.g. <c>--Training:Epochs=3</c>.</summary>
    public IList<string> Overrides { get; } = [];

    /// <summary>The run directory; default <c>runs/&lt;run-id&gt;</c> under the working directory.</summary>
    public string? RunDirectory { get; set; }

    /// <summary>Stop the application when training ends (a job); false keeps it running (a service that also does other work). Default: true.</summary>
    public bool StopApplicationWhenDone { get; set; } = true;

    internal RecipeSource Source() => RecipePath is not null
        ? RecipeSource.FromFile(RecipePath)
        : RecipeSource.FromText(RecipeJson ?? throw new Trainer.Recipes.RecipeException("AddTrainer: set RecipePath or RecipeJson."), "(embedded recipe)");
}
