using System.Diagnostics;

namespace Trainer.Bench;

/// <summary>The process's resident memory.</summary>
public static class Rss
{
    /// <summary>Resident memory now, in MB.</summary>
    public static double CurrentMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }

    /// <summary>Peak resident memory, in MB.</summary>
    public static double PeakMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }
}
