using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Trainer.Models;

/// <summary>
/// 2×2 max pooling with stride 2 (PyTorch's <c>MaxPool2d(2)</c>: an odd last row or column is dropped). libtorch's
/// channels-first <c>max_pool2d</c> kernel is slow on the CPU (17.6 ms for the bench CNN's first pooling, 256×32×28×28, on
/// this project's machine), so the layer avoids it and keeps its results bit for bit:
/// <list type="bullet">
/// <item>without autograd (evaluation, <c>Predict</c>) it is the element-wise maximum of the four strided quarters (1.4 ms);</item>
/// <item>while autograd records (training, gradient checks) on the CPU, libtorch's channels-last kernel, which vectorises over
/// channels, finds each window's first maximum, and the output gathers those elements: the same values, and the gradient
/// goes to the first maximum of each window, as <c>max_pool2d</c>'s does (the maximum of quarters would split it between
/// equal values). On other devices it is <c>max_pool2d</c> itself.</item>
/// </list>
/// </summary>
public sealed class MaxPool2x2Layer : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer (no parameters or buffers).</summary>
    public MaxPool2x2Layer() : base("MaxPool2d")
    {
    }

    /// <summary>
    /// Whether training on the CPU pools through libtorch's channels-last kernel in this process: LibTorchSharp exports the
    /// function it needs. When false, training uses <c>max_pool2d</c> itself (the same results, slower).
    /// </summary>
    public static bool UsesChannelsLastKernel => MaxPoolWithIndices.IsAvailable;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (is_grad_enabled())
            return input.ndim == 4 && input.device_type == DeviceType.CPU && UsesChannelsLastKernel ? ChannelsLastMaxPool(input) : F.max_pool2d(input, 2);
        if (input.ndim != 4)
            throw new ArgumentException($"MaxPool2d expects 4-D input (N×C×H×W), not {input.ndim}-D.");
        long height = input.size(2) / 2 * 2, width = input.size(3) / 2 * 2;
        using var scope = NewDisposeScope();
        Tensor Quarter(long row, long column) => input[.., .., TensorIndex.Slice(row, height, 2), TensorIndex.Slice(column, width, 2)];
        return maximum(maximum(Quarter(0, 0), Quarter(0, 1)), maximum(Quarter(1, 0), Quarter(1, 1))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>max_pool2d</c> with its gradient, faster on the CPU: libtorch's channels-last kernel (chosen by the strides of an
    /// N×C×H×W view over an N×H×W×C copy; TorchSharp has no memory-format argument) finds each window's first maximum, outside
    /// autograd, and the output gathers those elements from the input. The values are the maxima; the gradient of the
    /// gather (a scatter into the input's shape) goes to exactly those elements, as <c>max_pool2d</c>'s does.
    /// Measured for 128×32×28×28: 4.5 ms forward and backward, against 7.9 ms for <c>max_pool2d</c> and 7.7 ms for
    /// <c>max_pool2d</c> on the channels-last copy itself (whose backward kernel is the slow one).
    /// </summary>
    private static Tensor ChannelsLastMaxPool(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor first; // per window, the flat index (row × width + column) in its image plane of the first maximum
        using (no_grad())
        {
            var (values, indices) = MaxPoolWithIndices.Pool2x2(input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2));
            using (values)
            using (indices)
                first = indices.contiguous();
        }
        // The sizes one by one: TorchSharp's .shape and view_as read them through an array that only the finalizer frees.
        return input.flatten(2).gather(2, first.flatten(2)).view(first.size(0), first.size(1), first.size(2), first.size(3)).MoveToOuterDisposeScope();
    }
}
