namespace Trainer.Agent.Queue;

/// <summary>A run to queue: a recipe, the command-line overrides to apply to it, and a priority.</summary>
/// <param name="Name">A name to show in the queue (by default the recipe's Name).</param>
/// <param name="RecipeJson">The recipe's JSON text, stored in the queue so the run does not depend on the file staying put.</param>
/// <param name="Overrides">Configuration overrides as on the command line, e.g. <c>--Training:Epochs=5</c>.</param>
/// <param name="Priority">Higher runs first; equal priorities run in submission order.</param>
/// <param name="RecipePath">Where the recipe was read from, if from a file (relative data paths resolve against its folder).</param>
public sealed record QueueSubmission(string Name, string RecipeJson, IReadOnlyList<string> Overrides, int Priority = 0, string? RecipePath = null);
