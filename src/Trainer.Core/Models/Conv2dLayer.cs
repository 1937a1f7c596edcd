using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Trainer.Models;

/// <summary>
/// A 2-D convolution with stride 1, zero padding and square kernels, with the same parameters, initialisation and
/// state-dictionary names as TorchSharp's <c>Conv2d</c>, so checkpoints interchange. It differs in one thing: TorchSharp's
/// forward pass checks the input by reading <c>input.shape</c> twice, and each read leaves a pinned array that only the
/// finalizer frees; here the check reads <c>size(dim)</c>.
/// </summary>
public sealed class Conv2dLayer : Convolution
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (filters).</param>
    /// <param name="kernelSize">Height and width of the kernel.</param>
    /// <param name="padding">Zeros added on each side of both spatial dimensions.</param>
    /// <param name="bias">Whether the layer adds a learned bias per output channel.</param>
    public Conv2dLayer(long inChannels, long outChannels, long kernelSize, long padding = 0, bool bias = true)
        : base("Conv2d", inChannels, outChannels, [kernelSize, kernelSize], [1, 1], [padding, padding], null, [1, 1],
            transposed: false, [0, 0], groups: 1, bias, PaddingModes.Zeros)
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.ndim != 4 || input.size(1) != in_channels)
            throw new ArgumentException($"Conv2d expects 4-D input (N×C×H×W) with {in_channels} channels, not {input.ndim}-D with {(input.ndim > 1 ? input.size(1) : 0)}.");
        return F.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }
}
