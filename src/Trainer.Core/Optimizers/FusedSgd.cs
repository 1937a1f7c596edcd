using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// TorchSharp's <see cref="SGD"/> (plain, momentum or Nesterov) with its step done by libtorch's fused <c>_fused_sgd_</c>
/// kernel: one call per group, dtype and device. Parameter groups, learning rates and state (the momentum buffers) are
/// SGD's own, so schedules, live changes and checkpoints work unchanged and either optimizer loads the other's state.
/// </summary>
public sealed class FusedSgd : SGD
{
    private readonly FusedKernels kernels;
    private readonly FusedBuckets buckets;

    /// <summary>Creates the optimizer; <paramref name="kernels"/> must provide <c>_fused_sgd_</c>.</summary>
    public FusedSgd(IEnumerable<Parameter> parameters, FusedKernels kernels, double lr, double momentum = 0, double weight_decay = 0, bool nesterov = false)
        : base(parameters, lr, momentum, 0, weight_decay, nesterov)
    {
        if (!kernels.HasSgd) throw new ArgumentException($"The fused SGD kernel is not available: {kernels.Reason}", nameof(kernels));
        this.kernels = kernels;
        buckets = new FusedBuckets("SGD", _parameter_groups, listCount: 3, withSteps: false);
    }

    /// <inheritdoc />
    public override unsafe Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null) return base.step(closure);
        using (no_grad())
        using (NewDisposeScope())
        {
            foreach (var (group, bucket) in buckets.All)
            {
                var o = (Options)group.Options;
                var momentum = o.momentum!.Value;
                // Buffers are created on a parameter's first step, where the kernel copies the gradient into them; a
                // call covers either first steps or later ones.
                Update(bucket, o, momentum, firstSteps: false);
                if (momentum != 0) Update(bucket, o, momentum, firstSteps: true);
            }
        }
        return null!;
    }

    private unsafe void Update(FusedParameterBucket bucket, Options o, double momentum, bool firstSteps)
    {
        var count = 0;
        for (var i = 0; i < bucket.Parameters.Length; i++)
        {
            var parameter = bucket.Parameters[i];
            var grad = parameter.grad;
            if (grad is null) continue;
            var state = (State)_state[parameter.Handle];
            if (momentum == 0)
            {
                if (firstSteps) continue;
                bucket.Add(count++, i, [parameter, grad]);
                continue;
            }
            if ((state.momentum_buffer is null) != firstSteps) continue;
            if (firstSteps) state.momentum_buffer = empty_like(parameter).DetachFromDisposeScope();
            bucket.Add(count++, i, [parameter, grad, state.momentum_buffer!]);
        }
        if (count == 0) return;
        var none = default(OptionalTensor);
        fixed (IntPtr* parameters = bucket.Lists[0], grads = bucket.Lists[1], buffers = bucket.Lists[2])
        {
            kernels.SgdEntry(new TensorList((IntPtr)parameters, (nuint)count), new TensorList((IntPtr)grads, (nuint)count),
                new TensorList(momentum == 0 ? 0 : (IntPtr)buffers, momentum == 0 ? 0 : (nuint)count),
                o.weight_decay!.Value, momentum, o.LearningRate!.Value, o.dampening!.Value,
                o.nesterov == true ? (byte)1 : (byte)0, o.maximize == true ? (byte)1 : (byte)0, firstSteps ? (byte)1 : (byte)0, &none, &none);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) buckets.Dispose();
        base.Dispose(disposing);
    }
}
