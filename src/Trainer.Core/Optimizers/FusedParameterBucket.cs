using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// Parameters of one group that share a dtype and device, as one fused kernel call updates them: the tensor lists
/// (<c>at::Tensor</c> values, rebuilt each step from handles), the float32 step counts the Adam kernels read, and a
/// cache of the tensors already checked, so a call that could abort the process is never made with bad inputs.
/// </summary>
internal sealed unsafe class FusedParameterBucket : IDisposable
{
    private static readonly ScalarType[] SupportedTypes = [ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16];

    private readonly string kernel;
    private readonly Tensor? steps;
    private readonly Tensor[] stepViews;
    private readonly long[] lastSteps;
    private readonly float[] hostSteps;
    private readonly IntPtr[][] checkedTensors;
    private readonly Scalar? one;
    private bool stepsAdvancedByOne = true;

    public FusedParameterBucket(string kernel, IReadOnlyList<(Parameter Parameter, int Index)> parameters, int listCount, bool withSteps)
    {
        this.kernel = kernel;
        Parameters = [.. parameters.Select(p => p.Parameter)];
        Indices = [.. parameters.Select(p => p.Index)];
        Lists = [.. Enumerable.Range(0, listCount + (withSteps ? 1 : 0)).Select(_ => new IntPtr[Parameters.Length])];
        checkedTensors = [.. Parameters.Select(_ => new IntPtr[listCount])];
        lastSteps = new long[Parameters.Length];
        hostSteps = new float[Parameters.Length];
        stepViews = [];
        if (!withSteps) return;
        one = 1.0f;

        var device = Parameters[0].device;
        using (NewDisposeScope())
        {
            steps = zeros(Parameters.Length, ScalarType.Float32, device).MoveToOuterDisposeScope();
            stepViews = [.. Enumerable.Range(0, Parameters.Length).Select(i => steps[i].MoveToOuterDisposeScope())];
        }
    }

    /// <summary>The parameters, in the order of the lists.</summary>
    public Parameter[] Parameters { get; }

    /// <summary>Each parameter's position in the whole optimizer, for error messages.</summary>
    public int[] Indices { get; }

    /// <summary>One array of <c>at::Tensor</c> values per kernel argument list, filled up to the step's count.</summary>
    public IntPtr[][] Lists { get; }

    /// <summary>The <c>at::Tensor</c> value (its <c>TensorImpl*</c>) behind a TorchSharp tensor handle.</summary>
    public static IntPtr Impl(Tensor tensor) => *(IntPtr*)tensor.Handle;

    /// <summary>
    /// Puts parameter <paramref name="i"/>'s tensors (the parameter first, then its gradient and state) at list position
    /// <paramref name="slot"/>, checking them the first time these tensor objects are seen.
    /// </summary>
    public void Add(int slot, int i, ReadOnlySpan<Tensor> tensors)
    {
        var seen = checkedTensors[i];
        var known = true;
        for (var t = 0; t < tensors.Length; t++)
        {
            var impl = Impl(tensors[t]);
            Lists[t][slot] = impl;
            known &= seen[t] == impl;
        }
        if (known) return;
        Check(i, tensors);
        for (var t = 0; t < tensors.Length; t++) seen[t] = Impl(tensors[t]);
    }

    /// <summary>Sets parameter <paramref name="i"/>'s step count (already incremented) at list position <paramref name="slot"/>.</summary>
    public void SetStep(int slot, int i, long step)
    {
        Lists[^1][slot] = Impl(stepViews[i]);
        stepsAdvancedByOne &= step == lastSteps[i] + 1;
        lastSteps[i] = step;
        hostSteps[i] = step;
    }

    /// <summary>
    /// Makes the step counts set since the last call visible to the kernel: one increment when every count moved by one
    /// (every step but the first after a checkpoint was loaded or a gradient was missing), else one copy from the host.
    /// </summary>
    public void PublishSteps(int count)
    {
        if (steps is null) return;
        if (stepsAdvancedByOne && count == Parameters.Length) steps.add_(one!, one!); // alpha given: add_(Scalar) alone makes a Scalar per call
        else
        {
            using var values = tensor(hostSteps);
            steps.copy_(values);
        }
        stepsAdvancedByOne = true;
    }

    /// <summary>The first <paramref name="count"/> entries of list <paramref name="list"/>, for the kernel.</summary>
    public TensorList List(int list, int count, IntPtr* pinned) => new(pinned == null ? 0 : (IntPtr)pinned, (nuint)count);

    private void Check(int i, ReadOnlySpan<Tensor> tensors)
    {
        var parameter = tensors[0];
        var shape = parameter.shape;
        string? problem = null;
        if (Array.IndexOf(SupportedTypes, parameter.dtype) < 0) problem = $"its dtype {parameter.dtype} is not one the kernel supports";
        else if (parameter.dtype == ScalarType.Float64 && parameter.device_type != DeviceType.CPU)
            problem = "the GPU kernels take float32, float16 and bfloat16 parameters, not float64";
        for (var t = 0; t < tensors.Length && problem is null; t++)
        {
            var tensor = tensors[t];
            var what = t == 0 ? "the parameter" : t == 1 ? "its gradient" : $"its optimizer state {t - 1}";
            if (tensor.dtype != parameter.dtype) problem = $"{what} is {tensor.dtype}, the parameter {parameter.dtype}";
            else if (tensor.device_type != parameter.device_type || tensor.device_index != parameter.device_index)
                problem = $"{what} is on {tensor.device}, the parameter on {parameter.device}";
            else if (!tensor.shape.SequenceEqual(shape))
                problem = $"{what} has shape [{string.Join(", ", tensor.shape)}], the parameter [{string.Join(", ", shape)}]";
            else if (tensor.is_sparse) problem = $"{what} is sparse";
            else if (!tensor.is_contiguous()) problem = $"{what} is not contiguous";
        }
        if (problem is not null)
            throw new InvalidOperationException(
                $"The fused {kernel} step cannot update parameter {Indices[i]} ([{string.Join(", ", shape)}], {parameter.dtype}): {problem}. " +
                "Set Optimizer:Implementation to managed.");
    }

    public void Dispose()
    {
        foreach (var view in stepViews) view.Dispose();
        steps?.Dispose();
        one?.Dispose();
    }
}
