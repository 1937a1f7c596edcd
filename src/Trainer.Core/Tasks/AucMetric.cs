using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// <c>auc</c>: the area under the ROC curve of a binary task, the probability that a random positive example scores above a
/// random negative one (ties count one half): the Mann–Whitney U statistic over the pass's scores.
/// </summary>
public sealed class AucMetric : IMetric
{
    /// <inheritdoc />
    public string Name => "auc";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Binary;

    /// <inheritdoc />
    public MetricAccumulator Start(MetricSetting setting) => new Accumulator(setting.Device);

    /// <summary>The area under the ROC curve of <paramref name="scores"/> for labels <paramref name="positive"/>; NaN without both classes.</summary>
    public static double Area(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = positive.Count(p => p), negatives = scores.Count - positives, rankSum = 0;
        if (positives == 0 || negatives == 0) return double.NaN;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1; // the average rank of a run of ties
            for (var i = start; i <= end; i++)
                if (positive[order[i]]) rankSum += rank;
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    private sealed class Accumulator(Device device) : MetricAccumulator
    {
        private readonly List<Tensor> scores = [];
        private readonly List<Tensor> labels = [];

        public override void Update(Tensor predictions, Tensor targets)
        {
            scores.Add(predictions.detach().flatten().to_type(ScalarType.Float64).DetachFromDisposeScope());
            labels.Add(targets.flatten().to_type(ScalarType.Float64).DetachFromDisposeScope());
        }

        public override double Compute()
        {
            if (scores.Count == 0) return double.NaN;
            var state = SaveState();
            var half = state.Length / 2;
            return Area(state[..half], state[half..].Select(v => v > 0.5).ToArray());
        }

        public override double[] SaveState()
        {
            if (scores.Count == 0) return [];
            using var all = cat([.. scores, .. labels]).cpu();
            return all.data<double>().ToArray();
        }

        public override void LoadState(double[] state)
        {
            Clear();
            if (state.Length == 0) return;
            var half = state.Length / 2;
            scores.Add(tensor(state[..half], ScalarType.Float64, device));
            labels.Add(tensor(state[half..], ScalarType.Float64, device));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) Clear();
        }

        private void Clear()
        {
            foreach (var t in scores.Concat(labels)) t.Dispose();
            scores.Clear();
            labels.Clear();
        }
    }
}
