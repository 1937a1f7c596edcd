using System.Runtime.Intrinsics;

namespace Trainer.Inference;

/// <summary>
/// Softmax over the rows of a small batch of logits already copied to the host, the way <c>Predict</c> turns a classifier's
/// outputs into probabilities: each row shifted by its maximum (no overflow for large logits), exponentiated in vectors, then
/// divided by its sum. For a few hundred rows of tens of classes this takes microseconds where a libtorch call costs tens
/// (dispatch, a parallel region, a new tensor). Results agree with libtorch's softmax to float rounding; a row with NaN, or
/// with +∞, or all −∞, is NaN throughout, as there.
/// </summary>
internal static class HostSoftmax
{
    /// <summary>Writes the softmax of each row of <paramref name="width"/> logits into <paramref name="probabilities"/>.</summary>
    public static void Rows(ReadOnlySpan<float> logits, int width, Span<float> probabilities)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (logits.Length % width != 0) throw new ArgumentException($"{logits.Length} logits are not rows of {width}.", nameof(logits));
        if (probabilities.Length != logits.Length) throw new ArgumentException($"{probabilities.Length} places for {logits.Length} probabilities.", nameof(probabilities));
        for (var start = 0; start < logits.Length; start += width)
        {
            var row = logits.Slice(start, width);
            var max = row[0];
            foreach (var value in row) max = MathF.Max(max, value); // NaN wins, as libtorch's maximum
            var shifted = probabilities.Slice(start, width);
            for (var i = 0; i < width; i++) shifted[i] = row[i] - max;
        }
        Exp(probabilities);
        for (var start = 0; start < probabilities.Length; start += width)
        {
            var row = probabilities.Slice(start, width);
            var sum = 0f;
            foreach (var value in row) sum += value;
            for (var i = 0; i < width; i++) row[i] /= sum;
        }
    }

    private static void Exp(Span<float> values)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
                Vector256.Exp(Vector256.Create<float>(values.Slice(i, Vector256<float>.Count))).CopyTo(values.Slice(i));
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<float>.Count <= values.Length; i += Vector128<float>.Count)
                Vector128.Exp(Vector128.Create<float>(values.Slice(i, Vector128<float>.Count))).CopyTo(values.Slice(i));
        }
        for (; i < values.Length; i++) values[i] = MathF.Exp(values[i]);
    }
}
