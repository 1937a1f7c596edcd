using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Trainer.Agent.Execution;

/// <summary>
/// One run as a child process of the agent: started with the agent's pid in <see cref="ParentEnvironmentVariable"/> (so on
/// Linux it dies with the agent, see <see cref="ParentDeath"/>; on Windows through <see cref="WindowsJob"/>), its peak memory sampled, stopped with SIGTERM (the run
/// writes its checkpoint and summary and exits 130) and killed only when it overstays.
/// </summary>
public sealed partial class RunProcess : IDisposable
{
    /// <summary>Environment variable naming the agent's pid in a run it started.</summary>
    public const string ParentEnvironmentVariable = "TRAINER_AGENT_PID";

    private const int ErrorLines = 20;
    private readonly Process process;
    private readonly Queue<string> lastErrors = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long peakMemory;

    private readonly Timer sampler;

    private RunProcess(Process process)
    {
        this.process = process;
        // The kernel's high-water mark (VmHWM) only grows, so sampling it often loses at most the last quarter second's rise.
        sampler = new Timer(_ => Sample(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The child's process id.</summary>
    public int Id => process.Id;

    /// <summary>Peak resident memory of the run seen so far (bytes).</summary>
    public long PeakMemoryBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref peakMemory);
        }
    }

    /// <summary>Wall time since the run started.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>The run's last error lines (its stderr), for the queue's message when it fails.</summary>
    public string LastErrors
    {
        get
        {
            lock (lastErrors) return string.Join(Environment.NewLine, lastErrors);
        }
    }

    /// <summary>Starts <paramref name="command"/> with <paramref name="arguments"/> and <paramref name="environment"/> added to the agent's.</summary>
    public static RunProcess Start(TrainerCommand command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(command.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command.LeadingArguments.Concat(arguments)) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment[ParentEnvironmentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var run = new RunProcess(process);
        process.OutputDataReceived += (_, _) => { }; // the run's own log (RUN_DIR/log.clef) keeps its events; stdout is drained only
        process.ErrorDataReceived += (_, e) => run.Remember(e.Data);
        try
        {
            ProcessStarter.Start(process);
        }
        catch
        {
            run.sampler.Dispose();
            process.Dispose();
            throw;
        }
        if (OperatingSystem.IsWindows()) WindowsJob.Adopt(process); // dies with the agent, as ParentDeath does on Linux
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        run.sampler.Change(TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
        return run;
    }

    /// <summary>Waits for the run to exit and returns its exit code.</summary>
    public async Task<int> WaitAsync(CancellationToken cancellation)
    {
        await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Whether the run has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>
    /// Asks the run to stop as Ctrl+C would (SIGTERM: it finishes the batch, writes its checkpoint and summary, exits 130),
    /// then kills it if it has not exited within <paramref name="timeout"/>. Returns its exit code. On Windows, where a
    /// console child cannot be signalled, the run is killed at once and resumes from its last epoch checkpoint.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            Sample();
            if (OperatingSystem.IsWindows() || Kill(process.Id, 15) != 0) KillNow();
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillNow();
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        return process.ExitCode;
    }

    /// <summary>Kills the run at once (its run directory keeps what it wrote).</summary>
    public void KillNow()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        sampler.Dispose();
        if (!process.HasExited) KillNow();
        process.Dispose();
    }

    private void Sample()
    {
        try
        {
            if (process.HasExited) return;
            var peak = PeakResidentBytes();
            long seen;
            while (peak > (seen = Interlocked.Read(ref peakMemory)) && Interlocked.CompareExchange(ref peakMemory, peak, seen) != seen)
            {
            }
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the read
        }
    }

    /// <summary>The process's peak resident set: VmHWM from /proc on Linux (where .NET reports no peak), else the OS's peak working set.</summary>
    private long PeakResidentBytes()
    {
        if (!OperatingSystem.IsLinux())
        {
            process.Refresh();
            return process.PeakWorkingSet64;
        }
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // exited meanwhile
        }
        return 0;
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (lastErrors)
        {
            lastErrors.Enqueue(line);
            while (lastErrors.Count > ErrorLines) lastErrors.Dequeue();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
