using System.Runtime.InteropServices;

namespace Trainer.Optimizers;

/// <summary>
/// The layout of a <c>std::optional&lt;at::Tensor&gt;</c> (libstdc++): the tensor, then the engaged flag. All zero is an
/// empty optional, which is all the fused kernels are given (no gradient scaling, no inf check).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct OptionalTensor
{
    /// <summary>The <c>TensorImpl*</c> when engaged.</summary>
    public IntPtr Tensor;

    /// <summary>1 when the optional holds a tensor.</summary>
    public byte Engaged;
}
