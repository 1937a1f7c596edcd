using Trainer.Callbacks;

namespace Trainer.Tests.Testing;

/// <summary>
/// Writes one line per hook with what its context shows (epoch, steps, batch, which tensors are set, the metrics' names,
/// the history's length), and optionally stops or throws at a global step, so a harness run can be compared with a real one.
/// </summary>
public sealed class HookProbe(long stopAtStep = 0, long throwAtStep = 0, int stopAtEpoch = 0) : TrainingCallback
{
    public List<string> Lines { get; } = [];

    public override void OnTrainStart(TrainContext context) => Lines.Add($"OnTrainStart {Common(context)}");

    public override void OnEpochStart(EpochContext context) => Lines.Add($"OnEpochStart {Common(context)} metrics=[{Keys(context)}]");

    public override void OnBatchStart(BatchContext context) => Lines.Add($"OnBatchStart {Batch(context)}");

    public override void OnAfterBackward(BatchContext context) => Lines.Add($"OnAfterBackward {Batch(context)}");

    public override void OnBatchEnd(BatchContext context)
    {
        Lines.Add($"OnBatchEnd {Batch(context)}");
        if (context.GlobalStep == throwAtStep) throw new InvalidOperationException("boom");
        if (context.GlobalStep == stopAtStep) context.RequestStop("probe-stop", "asked by the probe");
    }

    public override void OnValidationEnd(EpochContext context) => Lines.Add($"OnValidationEnd {Common(context)} metrics=[{Keys(context)}]");

    public override void OnEpochEnd(EpochContext context)
    {
        Lines.Add($"OnEpochEnd {Common(context)} metrics=[{Keys(context)}] last={context.History[^1].Epoch}");
        if (context.Epoch == stopAtEpoch) context.RequestStop("probe-stop", "asked by the probe");
    }

    public override void OnTrainEnd(TrainEndContext context) => Lines.Add($"OnTrainEnd {Common(context)} status={context.Status}");

    public override void OnException(ExceptionContext context) => Lines.Add($"OnException {Common(context)} {context.Exception.Message}");

    private static string Common(CallbackContext c) =>
        $"epoch={c.Epoch}/{c.Epochs} step={c.GlobalStep} steps/epoch={c.StepsPerEpoch} history={c.History.Count} stop={c.StopRequest?.Reason}";

    private static string Batch(BatchContext c) =>
        $"{Common(c)} batch={c.BatchIndex}/{c.BatchCount} inputs={c.Inputs is not null} targets={c.Targets is not null} " +
        $"logits={c.Logits is not null} loss={c.Loss is not null} correct={c.Correct is not null} " +
        $"grads={c.Model.parameters().All(p => { using var g = p.grad; return g is not null; })}";

    private static string Keys(EpochContext c) => string.Join(",", c.Metrics.Keys.Where(k => !k.StartsWith("val_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
}
