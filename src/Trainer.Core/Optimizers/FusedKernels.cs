using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// libtorch's fused optimizer kernels (<c>_fused_adam_</c>, <c>_fused_adamw_</c>, <c>_fused_sgd_</c>), which TorchSharp
/// does not bind, looked up once in the loaded libtorch by their dispatcher entry points. Each updates a whole list of
/// parameters in one call on libtorch's own thread pool (CPU) or in one kernel launch (CUDA). Where a kernel is
/// missing (another libtorch version, Windows, where libtorch is built with another C++ ABI) <see cref="Reason"/> says
/// why and the managed optimizers run instead.
/// </summary>
public sealed unsafe class FusedKernels
{
    // Itanium C++ ABI names of at::_ops::NAME::call in libtorch 2.10 (nm -D libtorch_cpu.so | c++filt):
    // (TensorList ×6, double lr, beta1, beta2, weight_decay, eps, bool amsgrad, maximize, optional<Tensor> const& ×2)
    private const string AdamSymbol = "_ZN2at4_ops12_fused_adam_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_";
    private const string AdamWSymbol = "_ZN2at4_ops13_fused_adamw_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_";
    // (TensorList ×3, double weight_decay, momentum, lr, dampening, bool nesterov, maximize, is_first_step, optional<Tensor> const& ×2)
    private const string SgdSymbol = "_ZN2at4_ops11_fused_sgd_4callEN3c108ArrayRefINS_6TensorEEES5_S5_ddddbbbRKSt8optionalIS4_ES9_";

    private static readonly Lazy<FusedKernels> Loaded = new(() => Load(DefaultLibraryName));

    private FusedKernels(string library, IntPtr adam, IntPtr adamW, IntPtr sgd, string? reason)
    {
        Library = library;
        AdamEntry = (delegate* unmanaged<TensorList, TensorList, TensorList, TensorList, TensorList, TensorList,
            double, double, double, double, double, byte, byte, OptionalTensor*, OptionalTensor*, void>)adam;
        AdamWEntry = (delegate* unmanaged<TensorList, TensorList, TensorList, TensorList, TensorList, TensorList,
            double, double, double, double, double, byte, byte, OptionalTensor*, OptionalTensor*, void>)adamW;
        SgdEntry = (delegate* unmanaged<TensorList, TensorList, TensorList, double, double, double, double, byte, byte, byte, OptionalTensor*, OptionalTensor*, void>)sgd;
        Reason = reason;
    }

    /// <summary>The kernels of the libtorch TorchSharp has loaded, looked up on first use.</summary>
    public static FusedKernels Default => Loaded.Value;

    /// <summary>libtorch's CPU library as the platform names it; its dispatcher also routes CUDA tensors.</summary>
    public static string DefaultLibraryName =>
        OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";

    /// <summary>The library the kernels were looked up in.</summary>
    public string Library { get; }

    /// <summary>Why some or all kernels are missing; null when all three were found.</summary>
    public string? Reason { get; }

    /// <summary>True when <c>_fused_adam_</c> was found.</summary>
    public bool HasAdam => AdamEntry != null;

    /// <summary>True when <c>_fused_adamw_</c> was found.</summary>
    public bool HasAdamW => AdamWEntry != null;

    /// <summary>True when <c>_fused_sgd_</c> was found.</summary>
    public bool HasSgd => SgdEntry != null;

    internal delegate* unmanaged<TensorList, TensorList, TensorList, TensorList, TensorList, TensorList,
        double, double, double, double, double, byte, byte, OptionalTensor*, OptionalTensor*, void> AdamEntry { get; }

    internal delegate* unmanaged<TensorList, TensorList, TensorList, TensorList, TensorList, TensorList,
        double, double, double, double, double, byte, byte, OptionalTensor*, OptionalTensor*, void> AdamWEntry { get; }

    internal delegate* unmanaged<TensorList, TensorList, TensorList, double, double, double, double, byte, byte, byte, OptionalTensor*, OptionalTensor*, void> SgdEntry { get; }

    /// <summary>
    /// Looks the kernels up in <paramref name="library"/> (a file name the loader resolves, or a path). Never throws:
    /// a library or symbol that is not there gives kernels that report <see cref="Reason"/>.
    /// </summary>
    public static FusedKernels Load(string library)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(library);
        if (OperatingSystem.IsWindows())
            return new FusedKernels(library, 0, 0, 0,
                "libtorch on Windows is built with MSVC, whose C++ names and by-value argument passing the fused-kernel binding does not cover");
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return new FusedKernels(library, 0, 0, 0, $"the fused-kernel binding is verified on x64 only, not {RuntimeInformation.ProcessArchitecture}");
        _ = zeros(1); // makes sure TorchSharp has loaded libtorch, so the loader finds the copy already in the process
        if (!NativeLibrary.TryLoad(library, out var handle))
            return new FusedKernels(library, 0, 0, 0, $"the library {library} could not be loaded");
        var missing = new List<string>();
        var adam = Find(AdamSymbol, "_fused_adam_");
        var adamW = Find(AdamWSymbol, "_fused_adamw_");
        var sgd = Find(SgdSymbol, "_fused_sgd_");
        var reason = missing.Count == 0 ? null : $"{library} does not export {string.Join(", ", missing)} with the signature of libtorch 2.10";
        return new FusedKernels(library, adam, adamW, sgd, reason);

        IntPtr Find(string symbol, string name)
        {
            if (NativeLibrary.TryGetExport(handle, symbol, out var address)) return address;
            missing.Add(name);
            return 0;
        }
    }
}
