using System.Runtime.InteropServices;
using Trainer.Optimizers;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>
/// Settings of libtorch's global context that TorchSharp 0.107 does not bind, reached through libtorch's exported C++
/// entry points (looked up once, like the fused optimizer kernels): cuDNN's benchmark mode, which times the
/// convolution algorithms for each input shape once and keeps the fastest (worth it when shapes do not change, as in
/// the trainer's fixed-size batches). Unavailable where the entry points are not found (Windows, another libtorch).
/// </summary>
public static unsafe class LibTorchContext
{
    private static readonly Lazy<(IntPtr Context, IntPtr Set, IntPtr Get)> Entries = new(Find);

    /// <summary>True where the benchmark-mode entry points were found.</summary>
    public static bool IsAvailable => Entries.Value.Context != 0;

    /// <summary>cuDNN benchmark mode (libtorch's <c>at::globalContext().benchmarkCuDNN()</c>); off by default.</summary>
    /// <exception cref="PlatformNotSupportedException">The entry points are not available (see <see cref="IsAvailable"/>).</exception>
    public static bool CudnnBenchmark
    {
        get
        {
            var (context, _, get) = Require();
            return ((delegate* unmanaged<IntPtr, byte>)get)(context) != 0;
        }
        set
        {
            var (context, set, _) = Require();
            ((delegate* unmanaged<IntPtr, byte, void>)set)(context, value ? (byte)1 : (byte)0);
        }
    }

    private static (IntPtr Context, IntPtr Set, IntPtr Get) Require() =>
        IsAvailable ? Entries.Value : throw new PlatformNotSupportedException(
            "cuDNN benchmark mode cannot be set here: the loaded libtorch's C++ entry points are not reachable (Windows or another libtorch version).");

    private static (IntPtr, IntPtr, IntPtr) Find()
    {
        if (OperatingSystem.IsWindows() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return default;
        _ = zeros(1); // TorchSharp loads libtorch on first use
        if (!NativeLibrary.TryLoad(FusedKernels.DefaultLibraryName, out var library)) return default;
        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var globalContext)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context17setBenchmarkCuDNNEb", out var set)
            || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context14benchmarkCuDNNEv", out var get)) return default;
        return (((delegate* unmanaged<IntPtr>)globalContext)(), set, get);
    }
}
