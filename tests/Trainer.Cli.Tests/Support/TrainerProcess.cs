using System.Diagnostics;

namespace Trainer.Cli.Tests.Support;

/// <summary>Runs the real <c>trainer</c> program (trainer.dll beside the tests) in its own process.</summary>
public sealed class TrainerProcess : IDisposable
{
    private readonly Process process;
    private readonly Task<string> output;
    private readonly Task<string> error;

    public TrainerProcess(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trainer.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        output = process.StandardOutput.ReadToEndAsync();
        error = process.StandardError.ReadToEndAsync();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Waits for the exit; kills the process and fails after <paramref name="timeout"/>.</summary>
    public (int ExitCode, string Output, string Error) WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"trainer did not exit within {timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs to the end and returns the exit code and output.</summary>
    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] args)
    {
        using var trainer = new TrainerProcess(workingDirectory, args);
        return trainer.WaitForExit(TimeSpan.FromMinutes(2));
    }

    /// <summary>Sends a POSIX signal: INT as Ctrl+C in a terminal does, TERM as systemd or a cluster scheduler does.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Kills the process at once (SIGKILL on Linux), as a crash or an OOM kill would.</summary>
    public void KillHard()
    {
        process.Kill();
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
