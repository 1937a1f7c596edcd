using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Trainer.Training;

namespace Trainer.Agent.Execution;

/// <summary>
/// Restarts the program once, in place (<c>execve</c>: same process id, standard streams, arguments and parent), with
/// <see cref="NativeAllocator.Tunables"/> in <c>GLIBC_TUNABLES</c>, because glibc reads its malloc settings only when a
/// process starts. Only for the commands that compute with tensors; their child processes (search workers, the agent's
/// runs) inherit the variable and need no restart.
/// </summary>
public static partial class NativeAllocatorRestart
{
    private static readonly HashSet<string> Commands = new(StringComparer.Ordinal) { "run", "search", "predict", "evaluate", "gradcheck", "agent" };

    /// <summary>
    /// Does not return when it restarts the program. Returns without doing anything for other commands, off glibc, with
    /// <c>TRAINER_NATIVE_ALLOCATOR=default</c>, when the settings are already there, under a debugger, or if the restart fails.
    /// </summary>
    /// <exception cref="Trainer.Recipes.RecipeException"><c>TRAINER_NATIVE_ALLOCATOR</c> holds an unknown value.</exception>
    public static void RestartIfNeeded(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !Commands.Contains(args[0]) || Debugger.IsAttached) return;
        var tunables = NativeAllocator.TunablesFor(Environment.GetEnvironmentVariable, NativeAllocator.IsGlibc);
        if (tunables is null) return;
        IReadOnlyList<string> arguments;
        try
        {
            arguments = ArgumentsOf(File.ReadAllBytes("/proc/self/cmdline")); // the exact argv: "dotnet trainer.dll …" or the apphost's "trainer …"
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return; // unreadable, or an argument that is not UTF-8 and could not be passed on unchanged: run as started
        }
        if (arguments.Count == 0) return;
        // The environment as the runtime read it at start (not /proc/self/environ, whose GLIBC_TUNABLES glibc splits in place).
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => (string)e.Key != NativeAllocator.TunablesVariable).Select(e => $"{e.Key}={e.Value}");
        string?[] envp = [.. environment, $"{NativeAllocator.TunablesVariable}={tunables}", null];
        string?[] argv = [.. arguments, null];
        Console.Out.Flush();
        Console.Error.Flush();
        Execve("/proc/self/exe", argv, envp); // returns only on failure: then the program goes on with glibc's settings
    }

    /// <summary>
    /// The arguments in a <c>/proc/PID/cmdline</c> block: each ends with a NUL; empty arguments are kept. Throws
    /// <see cref="DecoderFallbackException"/> for bytes that are not UTF-8.
    /// </summary>
    public static IReadOnlyList<string> ArgumentsOf(byte[] block)
    {
        if (block.Length == 0) return [];
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(block);
        var parts = text.Split('\0');
        return text.EndsWith('\0') ? parts[..^1] : parts; // the last argument's terminator leaves one empty part
    }

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
