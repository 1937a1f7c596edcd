using System.Runtime.InteropServices;
using Trainer.Optimizers;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>
/// Settings of libtorch's global context that TorchSharp 0.107 does not bind, reached through libtorch's exported C++
/// entry points (looked up once, like the fused optimizer kernels): cuDNN's benchmark mode, which times the
/// convolution algorithms for each input shape once and keeps the fastest (worth it when shapes do not change, as in
/// the trainer's fixed-size batches), and whether CPU operations may use oneDNN (MKL-DNN). Unavailable where the entry
/// points are not found (Windows, another libtorch).
/// </summary>
public static unsafe class LibTorchContext
{
    private static readonly Lazy<Entries> Found = new(Find);

    /// <summary>True where the entry points were found.</summary>
    public static bool IsAvailable => Found.Value.Context != 0;

    /// <summary>cuDNN benchmark mode (libtorch's <c>at::globalContext().benchmarkCuDNN()</c>); off by default.</summary>
    /// <exception cref="PlatformNotSupportedException">The entry points are not available (see <see cref="IsAvailable"/>).</exception>
    public static bool CudnnBenchmark
    {
        get => Get(Require().GetBenchmark);
        set => Set(Require().SetBenchmark, value);
    }

    /// <summary>
    /// Whether CPU convolutions and other operations may use oneDNN (libtorch's <c>at::globalContext().userEnabledMkldnn()</c>,
    /// PyTorch's <c>torch.backends.mkldnn.enabled</c>); on by default in libtorch. Turning it off also turns NNPACK off, so
    /// convolutions take libtorch's own kernels rather than a second library that may not support the processor.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The entry points are not available (see <see cref="IsAvailable"/>).</exception>
    public static bool MkldnnEnabled
    {
        get => Get(Require().GetMkldnn);
        set
        {
            var entries = Require();
            Set(entries.SetMkldnn, value);
            Set(entries.SetNnpack, value);
        }
    }

    private static bool Get(IntPtr getter) => ((delegate* unmanaged<IntPtr, byte>)getter)(Found.Value.Context) != 0;

    private static void Set(IntPtr setter, bool value) => ((delegate* unmanaged<IntPtr, byte, void>)setter)(Found.Value.Context, value ? (byte)1 : (byte)0);

    private static Entries Require() =>
        IsAvailable ? Found.Value : throw new PlatformNotSupportedException(
            "libtorch's global settings cannot be changed here: the loaded libtorch's C++ entry points are not reachable (Windows or another libtorch version).");

    private static Entries Find()
    {
        if (OperatingSystem.IsWindows() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return default;
        _ = zeros(1); // TorchSharp loads libtorch on first use
        if (!NativeLibrary.TryLoad(FusedKernels.DefaultLibraryName, out var library)) return default;
        IntPtr Export(string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;
        var entries = new Entries(0,
            Export("_ZN2at7Context17setBenchmarkCuDNNEb"), Export("_ZNK2at7Context14benchmarkCuDNNEv"),
            Export("_ZN2at7Context20setUserEnabledMkldnnEb"), Export("_ZNK2at7Context17userEnabledMkldnnEv"),
            Export("_ZN2at7Context20setUserEnabledNNPACKEb"));
        var globalContext = Export("_ZN2at13globalContextEv");
        if (globalContext == 0 || entries.SetBenchmark == 0 || entries.GetBenchmark == 0 || entries.SetMkldnn == 0 || entries.GetMkldnn == 0 || entries.SetNnpack == 0)
            return default;
        return entries with { Context = ((delegate* unmanaged<IntPtr>)globalContext)() };
    }

    private readonly record struct Entries(IntPtr Context, IntPtr SetBenchmark, IntPtr GetBenchmark, IntPtr SetMkldnn, IntPtr GetMkldnn, IntPtr SetNnpack);
}
