using System.Runtime.InteropServices;

namespace Trainer.Optimizers;

/// <summary>
/// The layout of libtorch's <c>c10::ArrayRef&lt;at::Tensor&gt;</c> (passed by value): a pointer to a contiguous run of
/// <c>at::Tensor</c> values, each of which is one <c>TensorImpl*</c>, and their count.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct TensorList(IntPtr data, nuint length)
{
    /// <summary>The first <c>at::Tensor</c>.</summary>
    public readonly IntPtr Data = data;

    /// <summary>The number of tensors.</summary>
    public readonly nuint Length = length;
}
