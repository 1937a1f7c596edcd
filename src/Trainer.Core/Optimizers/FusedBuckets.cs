using TorchSharp.Modules;

namespace Trainer.Optimizers;

/// <summary>The parameters of every group split by dtype and device, in group order: one fused kernel call each.</summary>
internal sealed class FusedBuckets : IDisposable
{
    public FusedBuckets(string kernel, IEnumerable<ParamGroup> groups, int listCount, bool withSteps)
    {
        var index = 0;
        var all = new List<(ParamGroup, FusedParameterBucket)>();
        foreach (var group in groups)
        {
            var parameters = group.Parameters.Select(p => (Parameter: p, Index: index++)).ToList();
            foreach (var same in parameters.GroupBy(p => (p.Parameter.dtype, p.Parameter.device_type, p.Parameter.device_index)))
                all.Add((group, new FusedParameterBucket(kernel, same.ToList(), listCount, withSteps)));
        }
        All = all;
    }

    /// <summary>Each bucket with the group whose hyperparameters it uses.</summary>
    public IReadOnlyList<(ParamGroup Group, FusedParameterBucket Bucket)> All { get; }

    public void Dispose()
    {
        foreach (var (_, bucket) in All) bucket.Dispose();
    }
}
