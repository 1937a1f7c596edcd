using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>Keeps a tensor across steps without detaching it from the step's dispose scope: the mistake the guide warns about.</summary>
internal sealed class UndetachedSumCallback : TrainingCallback
{
    private Tensor? sum;

    public override void OnAfterBackward(BatchContext context)
    {
        // begin-snippet: undetached-sum
        // Wrong: made inside the step's dispose scope, so it is freed when the step ends and the next step fails.
        sum ??= zeros(1, ScalarType.Float64, context.Device);
        sum.add_(context.Loss!.detach());
        // end-snippet
    }
}
