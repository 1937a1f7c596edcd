using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Plugins.Tests.Support;

/// <summary>
/// Copies the model's state once training has ended and every callback's OnTrainEnd actions have run: the weights the
/// test evaluation uses (restored best, averaged, or the last step's). List it after the callbacks that swap weights in.
/// Optionally evaluates them on the validation split, as the loop's final evaluation does.
/// </summary>
public sealed class TestedWeightsRecorder : TrainingCallback, IDisposable
{
    public Dictionary<string, Tensor>? State { get; private set; }

    public (double Loss, double Accuracy)? Validation { get; private set; }

    public override void OnTrainEnd(TrainEndContext context) => context.AfterHook(() =>
    {
        using (no_grad()) State = context.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
        if (context.Data.Validation is { } validation && context.Evaluate(validation) is var e) Validation = (e.Loss, e.Metrics["accuracy"]);
    });

    public void Dispose()
    {
        foreach (var tensor in State?.Values ?? Enumerable.Empty<Tensor>()) tensor.Dispose();
    }
}
