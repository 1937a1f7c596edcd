using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Agent.Queue;
using Trainer.Hosting;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer submit [RECIPE] [--priority P] [--queue LOC] [--Section:Key=value ...]</c>: queues a run for the agents.</summary>
internal static class SubmitCommand
{
    public static Command Create(TextWriter output, TextWriter error, IReadOnlyList<string> overrides)
    {
        var recipe = new Argument<string?>("recipe")
        {
            Description = "The recipe JSON file (stored in the queue as it is now). Without it, the embedded quickstart recipe.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var priority = new Option<int>("--priority") { Description = "Higher runs first; equal priorities run in submission order. Default 0." };
        var queue = QueueLocation.Create();
        var command = new Command("submit", "Queue a recipe for 'trainer agent'. Extra arguments override recipe values for this run: --Training:Epochs=5.")
        {
            recipe, priority, queue,
        };
        command.SetAction(async (parse, _) =>
        {
            try
            {
                var path = parse.GetValue(recipe);
                var source = RecipeArgument.Resolve(path);
                var json = Encoding.UTF8.GetString(source.Json);
                var name = NameOf(json, source.DisplayName, overrides, path);
                using var runs = RunQueues.Open(parse.GetValue(queue)!);
                var queued = runs.Submit(new QueueSubmission(name, json, [.. overrides.Select(Absolute)], parse.GetValue(priority), path is null ? null : Path.GetFullPath(path)));
                var ahead = runs.List(includeFinished: false).TakeWhile(r => r.Id != queued.Id).Count(r => r.State is QueuedRunState.Queued or QueuedRunState.Interrupted);
                await output.WriteLineAsync($"Queued q{queued.Id} {name} (priority {queued.Submission.Priority}, {ahead} waiting ahead of it) in {runs.Location}").ConfigureAwait(false);
                return ExitCodes.Completed;
            }
            catch (RecipeException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    /// <summary>
    /// A data path given on the command line resolves against the working directory (as <c>trainer run</c> resolves it), which
    /// is the submitter's here and the agent's later: made absolute now.
    /// </summary>
    private static string Absolute(string token)
    {
        var parts = token.Split('=', 2);
        return parts.Length == 2 && parts[1].Length > 0 && (parts[0].Equals("--Data:Path", StringComparison.OrdinalIgnoreCase) ||
                                                            parts[0].Equals("--Data:TestPath", StringComparison.OrdinalIgnoreCase))
            ? $"{parts[0]}={Path.GetFullPath(parts[1])}"
            : token;
    }

    /// <summary>The run's name: a --Name override, else the recipe's Name, else its file name.</summary>
    private static string NameOf(string json, string displayName, IReadOnlyList<string> overrides, string? path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new RecipeException($"Recipe '{displayName}' is not valid JSON: {e.Message}");
        }
        if (root is not JsonObject recipe) throw new RecipeException($"Recipe '{displayName}' is not a JSON object.");
        var fromOverride = overrides.Select(o => o.Split('=', 2)).LastOrDefault(p => p[0].Equals("--Name", StringComparison.OrdinalIgnoreCase))?[1];
        var named = recipe.FirstOrDefault(p => p.Key.Equals("Name", StringComparison.OrdinalIgnoreCase)).Value;
        return fromOverride ?? (named is JsonValue value && value.TryGetValue<string>(out var text) ? text : null)
            ?? (path is null ? "quickstart" : Path.GetFileNameWithoutExtension(path));
    }
}
