using System.Globalization;
using Serilog.Formatting;

namespace Trainer.Agent.Platform;

/// <summary>
/// Whether the console goes to the systemd journal, and the formatter for it there: pass <see cref="Formatter"/> as the
/// console formatter of <c>Trainer.Hosting.Logging.RunLogger.Create</c> (null keeps the human lines).
/// </summary>
public static class JournaldConsole
{
    /// <summary>The variable systemd sets to the device and inode (<c>DEV:INO</c>) of the journal stream on stdout/stderr.</summary>
    public const string JournalStreamVariable = "JOURNAL_STREAM";

    /// <summary>The variable systemd sets in every process of a unit it starts.</summary>
    public const string InvocationIdVariable = "INVOCATION_ID";

    /// <summary>Whether this process's console goes to the journal (see <see cref="Detect"/>).</summary>
    public static bool IsActive() => Detect(
        Environment.GetEnvironmentVariable(JournalStreamVariable), Environment.GetEnvironmentVariable(InvocationIdVariable),
        StreamTarget(1), StreamTarget(2));

    /// <summary>A <see cref="JournaldTextFormatter"/> when <see cref="IsActive"/>, otherwise null (keep the human console).</summary>
    public static ITextFormatter? Formatter() => IsActive() ? new JournaldTextFormatter() : null;

    /// <summary>
    /// Decides from the environment whether console lines go to the journal: JOURNAL_STREAM is set and stdout or stderr is
    /// that stream (when the streams' targets are known: a terminal that inherited the variable from a systemd user
    /// session is not the journal), or it is unset but INVOCATION_ID says systemd started the process.
    /// </summary>
    /// <param name="journalStream">JOURNAL_STREAM's value (<c>DEV:INO</c>), or null.</param>
    /// <param name="invocationId">INVOCATION_ID's value, or null.</param>
    /// <param name="stdoutTarget">What stdout is, as /proc/self/fd/1 links it (<c>socket:[INO]</c>), or null when unknown.</param>
    /// <param name="stderrTarget">What stderr is, as /proc/self/fd/2 links it, or null when unknown.</param>
    public static bool Detect(string? journalStream, string? invocationId, string? stdoutTarget, string? stderrTarget)
    {
        if (string.IsNullOrEmpty(journalStream)) return !string.IsNullOrEmpty(invocationId);
        if (stdoutTarget is null && stderrTarget is null) return true;
        var separator = journalStream.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 || !ulong.TryParse(journalStream.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            return false;
        var socket = $"socket:[{inode.ToString(CultureInfo.InvariantCulture)}]";
        return stdoutTarget == socket || stderrTarget == socket;
    }

    private static string? StreamTarget(int descriptor)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
