using System.Runtime.InteropServices;
using Trainer.Recipes;

namespace Trainer.Training;

/// <summary>
/// glibc's <c>malloc</c> settings for libtorch's CPU tensors (Linux). Left as they are, a thread other than the main one
/// (the host's training thread, an ASP.NET request) allocates from its own arena, whose heaps are at most 64 MB and are
/// unmapped as soon as they empty, and blocks above the mmap threshold get fresh pages on every allocation: a model with
/// large activations faults all of them in again on every batch. The bench CNN's first convolution (1→32 channels, 28×28,
/// a batch of 256: 25.7 MB out) took 88 ms per call on a worker thread that way (125,000 page faults per 10 calls) and
/// 3.9 ms (7 faults) with <see cref="Tunables"/>: one arena, whose heap grows and stays, an mmap threshold of 32 MiB and a
/// trim threshold of 512 MiB, so the blocks are reused. PyTorch on the same machine shows the same two speeds. glibc reads
/// these settings only when a process starts (<c>GLIBC_TUNABLES</c>), so the <c>trainer</c> commands that compute restart
/// themselves once with them (<see cref="TunablesFor"/>); an application that loads a model sets the variable itself.
/// The cost: freed memory up to 512 MiB stays with the process, so its resident size stays nearer its peak.
/// </summary>
public static partial class NativeAllocator
{
    /// <summary>The environment variable that chooses: <c>tuned</c> (the default) or <c>default</c> (glibc's own settings).</summary>
    public const string EnvironmentVariable = "TRAINER_NATIVE_ALLOCATOR";

    /// <summary>glibc's environment variable for its settings.</summary>
    public const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>The settings: one malloc arena, blocks up to 32 MiB from the heap, up to 512 MiB of free heap kept.</summary>
    public const string Tunables = "glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=536870912";

    /// <summary>
    /// The <c>GLIBC_TUNABLES</c> value a process with <paramref name="environment"/> should start with, or null to leave it
    /// as it is: not glibc, <c>TRAINER_NATIVE_ALLOCATOR=default</c>, or malloc settings already there (the user's win;
    /// other glibc settings are kept and ours appended).
    /// </summary>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <param name="glibc">Whether the process runs on glibc (<see cref="IsGlibc"/>).</param>
    /// <exception cref="RecipeException"><c>TRAINER_NATIVE_ALLOCATOR</c> is neither <c>tuned</c> nor <c>default</c>.</exception>
    public static string? TunablesFor(Func<string, string?> environment, bool glibc)
    {
        var mode = environment(EnvironmentVariable);
        var value = string.IsNullOrWhiteSpace(mode) ? "tuned" : mode.Trim().ToLowerInvariant();
        if (value is not ("tuned" or "default"))
            throw new RecipeException($"{EnvironmentVariable} is '{mode}': use 'tuned' (glibc's malloc keeps large tensor buffers for reuse; the default) " +
                                      "or 'default' (glibc's own settings).");
        if (value == "default" || !glibc) return null;
        var current = environment(TunablesVariable);
        if (string.IsNullOrEmpty(current)) return Tunables;
        return current.Contains("glibc.malloc.", StringComparison.Ordinal) ? null : $"{current}:{Tunables}";
    }

    /// <summary>True on Linux with the GNU C library (not musl).</summary>
    public static bool IsGlibc
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return false;
            try
            {
                return GnuLibcVersion() != IntPtr.Zero;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial IntPtr GnuLibcVersion();
}
