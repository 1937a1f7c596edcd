using System.Diagnostics;
using System.Text;

namespace Trainer.Cli.Tests.Support;

/// <summary>Runs a program (the <c>dotnet</c> CLI by default) to its end, with a time limit, capturing its output.</summary>
public static class DotnetCommand
{
    /// <summary>The <c>dotnet</c> running these tests (DOTNET_HOST_PATH, set by the CLI), else the one on PATH.</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>dotnet</c> with <paramref name="args"/>; fails the test on a timeout or a non-zero exit code.</summary>
    public static string Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunProgram(Executable, workingDirectory, timeout, args);

    /// <summary>Runs <paramref name="program"/>; fails the test on a timeout or a non-zero exit code.</summary>
    public static string RunProgram(string program, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var (code, output) = TryRunProgram(program, workingDirectory, timeout, args);
        if (code != 0)
            Assert.Fail($"'{Path.GetFileName(program)} {string.Join(' ', args)}' exited with {code}:{Environment.NewLine}{Tail(output)}");
        return output;
    }

    /// <summary>Runs <paramref name="program"/> and returns its exit code and its standard output and error, interleaved.</summary>
    public static (int ExitCode, string Output) TryRunProgram(string program, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // A build started from a test must not leave MSBuild worker nodes or a build server behind: they would hold
        // this process's output pipes open (and linger for minutes).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
            lock (output)
                Assert.Fail($"'{Path.GetFileName(program)} {string.Join(' ', args)}' did not finish within {timeout.TotalMinutes:0.#} min:{Environment.NewLine}{Tail(output.ToString())}");
        }
        // The process has exited; give the readers a moment to drain the pipes, without waiting on a grandchild
        // that might still hold them.
        var drained = Task.Run(() => process.WaitForExit());
        drained.Wait(TimeSpan.FromSeconds(30));
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string Tail(string text, int lines = 60)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
