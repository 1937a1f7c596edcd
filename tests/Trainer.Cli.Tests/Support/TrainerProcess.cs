using System.Diagnostics;
using System.Text;

namespace Trainer.Cli.Tests.Support;

/// <summary>
/// Runs the real <c>trainer</c> program (trainer.dll beside the tests) in its own process, collecting its output line
/// by line so a test can wait for the line it means. Disposing kills the process tree if it still runs, whatever the
/// test did, so no trainer outlives its test.
/// </summary>
public sealed class TrainerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();
    private readonly TaskCompletionSource outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object gate = new();

    public TrainerProcess(string workingDirectory, params string[] args)
        : this(workingDirectory, new Dictionary<string, string>(), args)
    {
    }

    /// <summary>Starts the trainer with <paramref name="environment"/> added to this process's environment.</summary>
    public TrainerProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // A test process that ignores SIGINT (a background job) would hand that on: start the trainer with it restored.
        var restore = Signals.SigintIgnored && Signals.CanRestoreSigint;
        var start = new ProcessStartInfo(restore ? "/usr/bin/env" : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (restore)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trainer.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, outputClosed, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, errorClosed, e.Data);
        if (!process.Start()) throw new InvalidOperationException("Could not start dotnet.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Standard output and error so far.</summary>
    public string OutputSoFar
    {
        get
        {
            lock (gate) return output.ToString() + error;
        }
    }

    /// <summary>
    /// Waits until a line of standard output or error satisfies <paramref name="match"/> and returns it; fails when the
    /// process exits first or after <paramref name="timeout"/> (generous: it bounds a broken test, it does not time one).
    /// </summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            lock (gate)
            {
                var line = (output.ToString() + error).Split('\n').FirstOrDefault(l => match(l.TrimEnd('\r')));
                if (line is not null) return line.TrimEnd('\r');
                if (clock.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}; output so far:\n{output}{error}");
                if (outputClosed.Task.IsCompleted && errorClosed.Task.IsCompleted)
                    Assert.Fail($"trainer exited (code {(process.HasExited ? process.ExitCode : -1)}) before {what}; output:\n{output}{error}");
                Monitor.Wait(gate, TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>Waits for the exit; kills the process and fails after <paramref name="timeout"/>.</summary>
    public (int ExitCode, string Output, string Error) WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"trainer did not exit within {timeout.TotalSeconds} s.");
        }
        process.WaitForExit(); // the output events are complete after the parameterless wait
        Task.WaitAll(outputClosed.Task, errorClosed.Task);
        lock (gate) return (process.ExitCode, output.ToString(), error.ToString());
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
        if (name == "INT") Signals.AssumeSigintIsDelivered();
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
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
        process.Dispose();
    }

    private void Append(StringBuilder target, TaskCompletionSource closed, string? line)
    {
        lock (gate)
        {
            if (line is null) closed.TrySetResult();
            else target.Append(line).Append('\n');
            Monitor.PulseAll(gate);
        }
    }
}
