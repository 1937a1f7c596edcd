using Trainer.Callbacks;
using Trainer.Testing;
using Trainer.Training;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>The hook order the guide states, on a real two-epoch run of the digits (5 batches of 256 per epoch).</summary>
public sealed class HookOrderTests
{
    [Test]
    public void HooksRunInTheOrderTheGuideStates()
    {
        var recorder = new HookRecorder();
        var result = DocsRun.TrainDigits(epochs: 2, recorder);
        const int batchesPerEpoch = 5;

        // begin-snippet: hook-order
        var expected = new List<string> { "OnTrainStart" };
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            expected.Add("OnEpochStart");
            for (var batch = 0; batch < batchesPerEpoch; batch++)
                expected.AddRange(["OnBatchStart", "OnAfterBackward", "OnBatchEnd"]);
            expected.AddRange(["OnValidationEnd", "OnEpochEnd"]);
        }
        expected.Add("OnTrainEnd");
        // end-snippet

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(recorder.Hooks, Is.EqualTo(expected));
        var scripted = new HookRecorder();
        using (var harness = new CallbackHarness(scripted) { Epochs = 2, StepsPerEpoch = batchesPerEpoch }) harness.Run();
        Assert.That(scripted.Hooks, Is.EqualTo(expected), "Trainer.Testing's harness raises them in the same order");
    }

    [Test]
    public void AnExceptionInAHookEndsTheRunWithOnExceptionInsteadOfOnTrainEnd()
    {
        var recorder = new HookRecorder();

        var result = DocsRun.TrainDigits(epochs: 2, recorder, new ThrowingCallback(atStep: 2));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.FailureMessage, Is.EqualTo("Callback Throwing failed in OnBatchEnd: boom"));
        Assert.That(result.Exception, Is.TypeOf<CallbackException>());
        Assert.That(recorder.Hooks, Is.EqualTo(new[]
        {
            "OnTrainStart", "OnEpochStart",
            "OnBatchStart", "OnAfterBackward", "OnBatchEnd",
            "OnBatchStart", "OnAfterBackward", "OnBatchEnd",
            "OnException",
        }));
    }
}
