using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Plugins.GradientCheck;

/// <summary>
/// Two-sided numerical gradient checking: compares backprop's gradient dθ with
/// dθ_approx[i] = (J(θ + εe_i) − J(θ − εe_i)) / 2ε, entry by entry, and reports the relative error
/// ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂) per parameter tensor and overall.
/// </summary>
public static class GradientChecker
{
    /// <summary>
    /// Checks arbitrary parameters: <paramref name="cost"/> computes J from their current values and
    /// <paramref name="analytic"/> returns the gradient to verify (one tensor per parameter, same shapes).
    /// The parameters are perturbed in place and restored exactly.
    /// </summary>
    public static GradientCheckReport Check(IReadOnlyList<(string Name, Tensor Value)> parameters, Func<Tensor> cost,
        Func<IReadOnlyList<Tensor>> analytic, GradientCheckOptions options, bool dropoutDisabled = false)
    {
        var clock = Stopwatch.StartNew();
        var analyticValues = ReadAnalytic(parameters, analytic);
        var random = new Random(options.Seed);
        var tensors = new List<TensorGradientCheck>();
        var entries = new List<GradientCheckEntry>();
        double sumSquaredDifference = 0, sumSquaredNumeric = 0, sumSquaredAnalytic = 0;

        for (var p = 0; p < parameters.Count; p++)
        {
            var (name, value) = parameters[p];
            var count = value.numel();
            var indices = IndexSample.Draw(count, options.Full ? count : options.MaxEntriesPerTensor, random);
            double diff = 0, numericNorm = 0, analyticNorm = 0;
            using (no_grad())
            {
                using var flat = value.view(-1);
                foreach (var i in indices)
                {
                    var numeric = Numeric(flat, i, cost, options.Epsilon);
                    var exact = analyticValues[p][i];
                    diff += (numeric - exact) * (numeric - exact);
                    numericNorm += numeric * numeric;
                    analyticNorm += exact * exact;
                    entries.Add(new GradientCheckEntry(name, Unravel(i, value.shape), exact, numeric));
                }
            }
            sumSquaredDifference += diff;
            sumSquaredNumeric += numericNorm;
            sumSquaredAnalytic += analyticNorm;
            var error = RelativeError(diff, numericNorm, analyticNorm);
            tensors.Add(new TensorGradientCheck(name, value.shape, indices.Length, count, error, options.VerdictOf(error)));
        }

        var overall = RelativeError(sumSquaredDifference, sumSquaredNumeric, sumSquaredAnalytic);
        // The verdict is the overall error's (the course's test over the whole θ); a tensor that is suspect or fails on its
        // own raises it, while per-tensor warnings (rounding noise on tensors with tiny gradients) do not.
        var verdict = tensors.Select(t => t.Verdict).Where(v => v >= GradientCheckVerdict.Suspect).Append(options.VerdictOf(overall)).Max();
        var worst = entries.OrderByDescending(e => double.IsNaN(e.RelativeError) ? double.PositiveInfinity : e.RelativeError)
            .ThenByDescending(e => Math.Abs(e.Numeric - e.Analytic)).Take(options.WorstEntries).ToList();
        return new GradientCheckReport(tensors, overall, verdict, worst, clock.Elapsed, dropoutDisabled);
    }

    /// <summary>
    /// Checks a float64 model on one batch: J = cross-entropy(model(x), y) + (λ/2)·Σθ², whose analytic gradient is
    /// backprop's plus λθ (the L2 term the optimizers add). The model is used as it is (mode, device).
    /// </summary>
    public static GradientCheckReport CheckModel(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, double weightDecay,
        GradientCheckOptions options, bool dropoutDisabled = false)
    {
        var parameters = model.named_parameters().Where(p => p.parameter.requires_grad)
            .Select(p => (p.name, (Tensor)p.parameter)).ToList();
        if (parameters.Any(p => p.Item2.dtype != ScalarType.Float64))
            throw new ArgumentException("The gradient check needs a float64 model; float32 rounding hides real errors.", nameof(model));

        // Scalars held for the whole check: a temporary one (value.square(), x * 0.5) can be finalized while the native
        // call still reads it, since TorchSharp does not keep it alive across the call ("Unknown scalar type").
        using var halfDecay = (weightDecay / 2).ToScalar();
        using var decay = weightDecay.ToScalar();

        Tensor Cost()
        {
            var loss = nn.functional.cross_entropy(model.forward(inputs), targets);
            if (weightDecay == 0) return loss;
            foreach (var (_, value) in parameters) loss = loss + value.mul(value).sum().mul(halfDecay);
            return loss;
        }

        IReadOnlyList<Tensor> Analytic()
        {
            foreach (var (_, value) in parameters) value.grad?.zero_();
            using (enable_grad())
                nn.functional.cross_entropy(model.forward(inputs), targets).backward();
            return parameters.Select(p => p.Item2.grad is { } g ? g + p.Item2.detach().mul(decay) : zeros_like(p.Item2)).ToList();
        }

        return Check(parameters, Cost, Analytic, options, dropoutDisabled);
    }

    /// <summary>
    /// Checks a copy of <paramref name="source"/>: a new instance from <paramref name="createModel"/>, converted to float64
    /// on the source's device, loaded with the source's parameters and buffers, with dropout off and batch norm using
    /// the batch's statistics (training mode). The source model, its mode and TorchSharp's global RNG state are left
    /// exactly as they were.
    /// </summary>
    public static GradientCheckReport CheckCopy(nn.Module<Tensor, Tensor> source, Func<nn.Module<Tensor, Tensor>> createModel,
        Tensor inputs, Tensor targets, double weightDecay, GradientCheckOptions options)
    {
        var device = source.parameters().FirstOrDefault()?.device ?? CPU;
        using var rngState = random.get_rng_state();
        nn.Module<Tensor, Tensor> copy;
        try
        {
            copy = createModel();
        }
        finally
        {
            random.set_rng_state(rngState);
        }

        using (copy)
        {
            copy.to(ScalarType.Float64).to(device);
            using (no_grad())
            {
                var sourceState = source.state_dict();
                foreach (var (name, tensor) in copy.state_dict())
                {
                    if (!sourceState.TryGetValue(name, out var original))
                        throw new InvalidOperationException($"The model copy has '{name}', which the trained model lacks; the model factory must build the same architecture.");
                    tensor.copy_(original);
                }
            }

            copy.train();
            var dropoutDisabled = false;
            foreach (var (_, module) in copy.named_modules())
            {
                if (module is TorchSharp.Modules.Dropout or TorchSharp.Modules.Dropout2d or TorchSharp.Modules.AlphaDropout)
                {
                    module.eval();
                    dropoutDisabled = true;
                }
            }

            using var scope = NewDisposeScope();
            var x = inputs.to(ScalarType.Float64).to(device);
            var y = targets.to(device);
            return CheckModel(copy, x, y, weightDecay, options, dropoutDisabled);
        }
    }

    private static double Numeric(Tensor flat, long index, Func<Tensor> cost, double epsilon)
    {
        using var entry = flat[index];
        var original = entry.item<double>();
        entry.fill_(original + epsilon);
        var plus = Evaluate(cost);
        entry.fill_(original - epsilon);
        var minus = Evaluate(cost);
        entry.fill_(original);
        return (plus - minus) / (2 * epsilon);
    }

    private static double Evaluate(Func<Tensor> cost)
    {
        using var scope = NewDisposeScope();
        return cost().to_type(ScalarType.Float64).item<double>();
    }

    private static double[][] ReadAnalytic(IReadOnlyList<(string Name, Tensor Value)> parameters, Func<IReadOnlyList<Tensor>> analytic)
    {
        using var scope = NewDisposeScope();
        var gradients = analytic();
        if (gradients.Count != parameters.Count)
            throw new ArgumentException($"The analytic gradient has {gradients.Count} tensors for {parameters.Count} parameters.");
        var values = new double[parameters.Count][];
        for (var p = 0; p < parameters.Count; p++)
        {
            if (!gradients[p].shape.SequenceEqual(parameters[p].Value.shape))
                throw new ArgumentException($"The analytic gradient of {parameters[p].Name} has shape [{string.Join(", ", gradients[p].shape)}], " +
                                            $"the parameter [{string.Join(", ", parameters[p].Value.shape)}].");
            values[p] = gradients[p].detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        }
        return values;
    }

    private static double RelativeError(double squaredDifference, double squaredNumeric, double squaredAnalytic)
    {
        var denominator = Math.Sqrt(squaredNumeric) + Math.Sqrt(squaredAnalytic);
        return denominator == 0 ? 0 : Math.Sqrt(squaredDifference) / denominator;
    }

    private static long[] Unravel(long index, long[] shape)
    {
        var result = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            result[d] = index % shape[d];
            index /= shape[d];
        }
        return result;
    }
}
