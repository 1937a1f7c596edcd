using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>
/// libtorch's <c>max_pool2d_with_indices</c> with a 2×2 window and stride 2, called through LibTorchSharp's own export.
/// TorchSharp's binding of it leaves an object to the finalizer on every call (the pinned array it receives the two
/// results in), which the training step must not do (see FinalizerFreeStepTests); here the results land in two slots
/// on the caller's stack. Where the export is not there, <see cref="IsAvailable"/> is false and the caller uses <c>max_pool2d</c>.
/// </summary>
internal static unsafe class MaxPoolWithIndices
{
    private static readonly Lazy<IntPtr> Entry = new(Find);

    [ThreadStatic]
    private static IntPtr* CallSlots; // where the call on this thread receives its results, on its own stack

    /// <summary>Whether LibTorchSharp exports the function.</summary>
    public static bool IsAvailable => Entry.Value != 0;

    /// <summary>
    /// The maxima of <paramref name="input"/>'s 2×2 windows and, per window, the flat index (row × width + column) of its
    /// first maximum in the input's image plane; only where <see cref="IsAvailable"/>. Both are registered in the current
    /// dispose scope, like any TorchSharp result; call it under <c>no_grad</c> when no gradient is wanted.
    /// </summary>
    public static (Tensor Values, Tensor Indices) Pool2x2(Tensor input)
    {
        var entry = (delegate* unmanaged<IntPtr, delegate* unmanaged<nuint, IntPtr*>, long*, int, long*, int, long*, int, long*, int, byte, void>)Entry.Value;
        if (entry == null) throw new InvalidOperationException("LibTorchSharp does not export THSTensor_max_pool2d_with_indices; check IsAvailable first.");
        var results = stackalloc IntPtr[2];
        results[0] = results[1] = 0;
        var window = stackalloc long[] { 2, 2 };
        var padding = stackalloc long[] { 0, 0 };
        var dilation = stackalloc long[] { 1, 1 };
        CallSlots = results;
        try
        {
            entry(input.Handle, &Slots, window, 2, window, 2, padding, 2, dilation, 2, 0);
        }
        finally
        {
            CallSlots = null;
            GC.KeepAlive(input); // its native tensor is in use until the call returns
        }
        torch.CheckForErrors(); // libtorch's error, if any, as TorchSharp reports it
        if (results[0] == 0 || results[1] == 0) throw new InvalidOperationException("max_pool2d_with_indices returned no tensors.");
        return (Tensor.UnsafeCreateTensor(results[0]), Tensor.UnsafeCreateTensor(results[1]));
    }

    /// <summary>LibTorchSharp's allocator callback: the calling thread's two result slots.</summary>
    [UnmanagedCallersOnly]
    private static IntPtr* Slots(nuint length) => length == 2 ? CallSlots : null;

    private static IntPtr Find()
    {
        // Called with a tensor at hand, so TorchSharp has loaded LibTorchSharp; the lookup by TorchSharp's own rules finds that copy.
        return NativeLibrary.TryLoad("LibTorchSharp", typeof(torch).Assembly, null, out var library)
               && NativeLibrary.TryGetExport(library, "THSTensor_max_pool2d_with_indices", out var address)
            ? address
            : 0;
    }
}
