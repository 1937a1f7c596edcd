using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: gradient-norm
/// <summary>
/// Logs the mean global L2 norm of the gradients every <c>LogEvery</c> steps. The norms are summed on the device,
/// so the host waits for the device only when it writes a line.
/// </summary>
[CallbackName("GradientNorm")]
public sealed partial class GradientNormCallback(GradientNormOptions options) : TrainingCallback, IDisposable
{
    private readonly HookFilter logFilter = HookFilter.EveryN(options.LogEvery);
    private Parameter[] parameters = [];
    private Tensor? sum; // kept across steps, so it must live outside the steps' dispose scopes
    private int steps;

    public override void OnTrainStart(TrainContext context) => parameters = context.Model.parameters().ToArray();

    public override void OnAfterBackward(BatchContext context)
    {
        using var noGrad = no_grad();
        // Temporaries: they belong to the step's dispose scope and are freed when the step ends.
        var norm = stack(parameters.Select(p => p.grad).OfType<Tensor>().Select(g => g.norm())).norm();
        sum ??= zeros(1, ScalarType.Float64, context.Device).DetachFromDisposeScope();
        sum.add_(norm);
        steps++;
    }

    public override void OnBatchEnd(BatchContext context)
    {
        if (sum is null || !logFilter.IsDue(context.GlobalStep)) return;
        var mean = sum.item<double>() / steps; // the only host sync: once every LogEvery steps
        LogGradientNorm(context.Logger, context.Epoch, context.GlobalStep, mean, steps);
        sum.zero_();
        steps = 0;
    }

    public void Dispose() => sum?.Dispose();

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information,
        Message = "Epoch {Epoch} step {GlobalStep}: gradient norm {GradientNorm:0.0000} (mean of {Steps} steps)")]
    private static partial void LogGradientNorm(ILogger logger, int epoch, long globalStep, double gradientNorm, int steps);
}
// end-snippet
