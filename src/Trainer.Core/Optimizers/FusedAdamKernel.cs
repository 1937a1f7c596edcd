using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// One fused Adam or AdamW step over the parameters of one group: the state is TorchSharp's own (<c>Adam.State</c> or
/// <c>AdamW.State</c>), so checkpoints written on either path load on the other.
/// </summary>
internal static unsafe class FusedAdamKernel
{
    /// <summary>Updates every parameter that has a gradient, one kernel call per bucket, without recording gradients.</summary>
    /// <param name="buckets">The optimizer's parameters by group, dtype and device.</param>
    /// <param name="entry">The kernel.</param>
    /// <param name="hyperparameters">A group's hyperparameters, read at this step.</param>
    /// <param name="state">Returns a parameter's state after incrementing its step count.</param>
    public static void Step(FusedBuckets buckets,
        delegate* unmanaged<TensorList, TensorList, TensorList, TensorList, TensorList, TensorList, double, double, double, double, double, byte, byte, OptionalTensor*, OptionalTensor*, void> entry,
        Func<ParamGroup, AdamHyperparameters> hyperparameters, Func<Parameter, (Tensor ExpAvg, Tensor ExpAvgSq, long Step)> state)
    {
        using var noGrad = no_grad();
        foreach (var (group, bucket) in buckets.All) Step(bucket, entry, state, hyperparameters(group));
    }

    /// <summary>Updates the parameters of <paramref name="bucket"/> that have gradients.</summary>
    /// <param name="bucket">The parameters (one dtype, one device).</param>
    /// <param name="entry">The kernel.</param>
    /// <param name="state">Returns a parameter's state after incrementing its step count.</param>
    /// <param name="o">The group's hyperparameters, read at this step.</param>
    private static void Step(FusedParameterBucket bucket,
        delegate* unmanaged<TensorList, TensorList, TensorList, TensorList, TensorList, TensorList, double, double, double, double, double, byte, byte, OptionalTensor*, OptionalTensor*, void> entry,
        Func<Parameter, (Tensor ExpAvg, Tensor ExpAvgSq, long Step)> state, AdamHyperparameters o)
    {
        using var scope = NewDisposeScope();
        var count = 0;
        for (var i = 0; i < bucket.Parameters.Length; i++)
        {
            var parameter = bucket.Parameters[i];
            var grad = parameter.grad;
            if (grad is null) continue;
            var (expAvg, expAvgSq, step) = state(parameter);
            bucket.Add(count, i, [parameter, grad, expAvg, expAvgSq]);
            bucket.SetStep(count, i, step);
            count++;
        }
        if (count == 0) return;
        bucket.PublishSteps(count);
        var none = default(OptionalTensor);
        fixed (IntPtr* parameters = bucket.Lists[0], grads = bucket.Lists[1], expAvgs = bucket.Lists[2], expAvgSqs = bucket.Lists[3], steps = bucket.Lists[4])
        {
            entry(new TensorList((IntPtr)parameters, (nuint)count), new TensorList((IntPtr)grads, (nuint)count),
                new TensorList((IntPtr)expAvgs, (nuint)count), new TensorList((IntPtr)expAvgSqs, (nuint)count), new TensorList(0, 0),
                new TensorList((IntPtr)steps, (nuint)count),
                o.LearningRate, o.Beta1, o.Beta2, o.WeightDecay, o.Epsilon, 0, o.Maximize ? (byte)1 : (byte)0, &none, &none);
        }
    }
}
