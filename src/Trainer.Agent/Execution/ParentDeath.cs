using System.Globalization;
using System.Runtime.InteropServices;

namespace Trainer.Agent.Execution;

/// <summary>
/// The run side of <see cref="RunProcess"/>: a run started by an agent asks Linux to kill it when the agent dies
/// (<c>prctl(PR_SET_PDEATHSIG, SIGKILL)</c>), so a killed agent leaves no run writing into a directory that its next
/// life resumes; the run's last checkpoint is where it resumes from.
/// </summary>
public static partial class ParentDeath
{
    private const int SetParentDeathSignal = 1; // PR_SET_PDEATHSIG
    private const int KillSignal = 9;

    /// <summary>
    /// When this process was started by an agent (<see cref="RunProcess.ParentEnvironmentVariable"/>) on Linux, binds its
    /// life to the agent's. Returns false when the agent is already gone (the caller should exit), true otherwise.
    /// </summary>
    public static bool BindToAgent()
    {
        if (!OperatingSystem.IsLinux()) return true;
        if (Environment.GetEnvironmentVariable(RunProcess.ParentEnvironmentVariable) is not { } value ||
            !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var agent))
            return true;
        if (Prctl(SetParentDeathSignal, KillSignal, 0, 0, 0) != 0) return true;
        // The agent may have died between starting us and the prctl call: then our parent is no longer it.
        return GetParentProcessId() == agent;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
