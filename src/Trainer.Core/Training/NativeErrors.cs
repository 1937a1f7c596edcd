using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Trainer.Training;

/// <summary>
/// One line for people from an exception libtorch (or the runtime) threw: libtorch's messages carry its C++ frame
/// list after the first line, which belongs in log.clef (the exception is logged there whole), not on the console or
/// in summary.json. Running out of memory names the size asked for and what to change.
/// </summary>
public static partial class NativeErrors
{
    /// <summary>True when <paramref name="exception"/> says memory ran out (libtorch's allocators or the .NET runtime).</summary>
    public static bool IsOutOfMemory(Exception exception) =>
        exception is OutOfMemoryException || (exception is ExternalException && (AllocationPattern().IsMatch(exception.Message) ||
            exception.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The message to show: the first line of a native error (with a hint when memory ran out), else the message itself.</summary>
    public static string Message(Exception exception)
    {
        if (exception is OutOfMemoryException)
            return "The process ran out of memory; " + Hint;
        if (exception is not ExternalException) return exception.Message;
        var first = exception.Message.Split('\n', 2)[0].Trim();
        first = EnforcePrefix().Replace(first, ""); // "[enforce fail at alloc_cpu.cpp:127] err == 0. " says nothing to a user
        if (!IsOutOfMemory(exception)) return $"libtorch: {first}";
        var size = AllocationPattern().Match(exception.Message) is { Success: true } m && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? $" ({Bytes(bytes)} in one tensor)" : "";
        return $"libtorch could not allocate memory{size}: {first.TrimEnd('.')}; {Hint}";
    }

    private const string Hint = "the model or a batch is too large for the memory here: lower Model:Hidden, Model:Channels or Training:BatchSize " +
                                "(or Data:TrainLimit), or train where there is more memory.";

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    [GeneratedRegex(@"tried to allocate (\d+) bytes")]
    private static partial Regex AllocationPattern();

    [GeneratedRegex(@"^\[enforce fail at [^\]]*\]\s*(err == 0\.\s*)?")]
    private static partial Regex EnforcePrefix();
}
