namespace Trainer.Hosting.Platform;

/// <summary>Ends the process at once, for the second Ctrl+C: no waiting for the current batch, no exit handlers.</summary>
public static class ImmediateExit
{
    /// <summary>
    /// Flushes the console and ends the process with <paramref name="code"/>. On POSIX without running exit handlers:
    /// libtorch's static destructors would otherwise run while the training thread is still inside a libtorch call, and
    /// the process would die of SIGSEGV (139).
    /// </summary>
    public static void Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (!OperatingSystem.IsWindows())
        {
            try { PosixExit(code); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* fall back below */ }
        }
        Environment.Exit(code);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "_exit")]
    private static extern void PosixExit(int status);
}
