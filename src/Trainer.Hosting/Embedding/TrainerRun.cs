using Trainer.Runs;

namespace Trainer.Hosting.Embedding;

/// <summary>The run of an application that hosts the trainer: inject it to await the result.</summary>
public sealed class TrainerRun
{
    private readonly TaskCompletionSource<RunSummary?> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when training ends: the summary (also in summary.json), or null when the recipe was invalid.</summary>
    public Task<RunSummary?> Completion => completion.Task;

    /// <summary>The process exit code the run would have under <c>trainer run</c> (see <see cref="ExitCodes"/>); set when it ends.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>The problems found in the recipe, when it was invalid; empty otherwise.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    internal void Finish(int exitCode, RunSummary? summary, IReadOnlyList<string> errors)
    {
        if (completion.Task.IsCompleted) return;
        ExitCode = exitCode;
        Errors = errors;
        completion.TrySetResult(summary);
    }
}
