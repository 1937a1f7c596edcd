using System.Globalization;

namespace Trainer.Cli.Tests.Support;

/// <summary>Preconditions of the tests that send POSIX signals.</summary>
public static class Signals
{
    /// <summary>
    /// True when this process ignores SIGINT, as a background job of a non-interactive shell does: its children inherit
    /// the ignored signal (the nohup convention, which .NET keeps), so a Ctrl+C sent to a trainer would never arrive.
    /// </summary>
    public static bool SigintIgnored
    {
        get
        {
            if (!File.Exists("/proc/self/status")) return false;
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (2 - 1))) != 0;
        }
    }

    /// <summary>
    /// True when trainers are started with SIGINT back at its default (GNU env's --default-signal, on Linux), so Ctrl+C
    /// tests work even from a test process that ignores it.
    /// </summary>
    public static bool CanRestoreSigint { get; } = OperatingSystem.IsLinux() && File.Exists("/usr/bin/env") && Probe();

    /// <summary>Makes a Ctrl+C test inconclusive, saying why, when SIGINT cannot reach the trainer it starts.</summary>
    public static void AssumeSigintIsDelivered() =>
        Assume.That(SigintIgnored && !CanRestoreSigint, Is.False,
            "this test process ignores SIGINT (started as a background job of a non-interactive shell?) and this system's env cannot " +
            "restore it for the trainer (GNU env --default-signal): run the tests in the foreground to test Ctrl+C");

    private static bool Probe()
    {
        try
        {
            using var env = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/env", ["--default-signal=INT", "true"])
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            })!;
            env.WaitForExit();
            return env.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
