using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// TorchSharp's <see cref="Adam"/> with its step done by libtorch's fused <c>_fused_adam_</c> kernel: one call per
/// group, dtype and device instead of ~10 tensor operations per parameter. Parameter groups, learning rates, state
/// (moments and step counts) and saved state dictionaries are Adam's own, so schedules, live changes and checkpoints
/// work unchanged, and a checkpoint written by either optimizer loads in the other. AMSGrad runs the managed step.
/// </summary>
public sealed class FusedAdam : Adam
{
    private readonly FusedKernels kernels;
    private readonly FusedBuckets buckets;

    /// <summary>Creates the optimizer; <paramref name="kernels"/> must provide <c>_fused_adam_</c>.</summary>
    public FusedAdam(IEnumerable<Parameter> parameters, FusedKernels kernels, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weight_decay = 0)
        : base(parameters, lr, beta1, beta2, eps, weight_decay)
    {
        if (!kernels.HasAdam) throw new ArgumentException($"The fused Adam kernel is not available: {kernels.Reason}", nameof(kernels));
        this.kernels = kernels;
        buckets = new FusedBuckets("Adam", _parameter_groups, listCount: 4, withSteps: true);
    }

    /// <inheritdoc />
    public override unsafe Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null || _parameter_groups.Any(g => ((Options)g.Options).amsgrad == true)) return base.step(closure);
        FusedAdamKernel.Step(buckets, kernels.AdamEntry, group =>
        {
            var o = (Options)group.Options;
            return new AdamHyperparameters(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.weight_decay!.Value, o.eps!.Value, o.maximize == true);
        }, parameter =>
        {
            var state = (State)_state[parameter.Handle];
            state.step += 1;
            return (state.exp_avg, state.exp_avg_sq, state.step);
        });
        return null!;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) buckets.Dispose();
        base.Dispose(disposing);
    }
}
