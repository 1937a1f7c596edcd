using Trainer.Runs;

namespace Trainer.Hosting;

/// <summary>The result of a hosted run, filled in by <see cref="TrainingService"/> when training ends.</summary>
public sealed class RunOutcome
{
    /// <summary>The process exit code (see <see cref="ExitCodes"/>); <see cref="ExitCodes.Interrupted"/> until the run reports.</summary>
    public int ExitCode { get; set; } = ExitCodes.Interrupted;

    /// <summary>The summary written to summary.json; null if the run never started.</summary>
    public RunSummary? Summary { get; set; }
}
