// The guide's model-free test, compiled as printed (DocsSnippetTests compares the text).
// begin-snippet: plateau-stop-harness-test
using Trainer.Callbacks;
using Trainer.Testing;
using Trainer.Training;

namespace Trainer.Hosting.Tests.Docs;

public sealed class PlateauStopHarnessTests
{
    [Test]
    public void StopsWhenTheLossHasNotImprovedByMinDeltaForPatienceEpochs()
    {
        var plateau = new PlateauStopCallback(new PlateauStopOptions { Patience = 2, MinDelta = 0.05 });
        using var harness = new CallbackHarness(plateau) { Metrics = { { "val_loss", 1.0, 0.8, 0.81, 0.79, 0.5, 0.4 } } };

        var result = harness.Run();

        Assert.That(result.Status, Is.EqualTo(RunStatus.StoppedEarly));
        Assert.That(result.EpochsCompleted, Is.EqualTo(4));
        Assert.That(result.BestEpoch, Is.EqualTo(2));
        Assert.That(result.StopRequest, Is.EqualTo(
            new StopRequest("no-improvement", "val_loss did not improve for 2 epochs; best 0.8 in epoch 2", "PlateauStop")));
        Assert.That(result.Events.Single(e => e.Id.Id == 9201).Properties["Epoch"], Is.EqualTo(4));
    }

    [Test]
    public void AResumedRunStopsWhereTheUninterruptedRunStops()
    {
        var options = new PlateauStopOptions { Patience = 3 };
        var valLoss = new ScriptedMetrics { { "val_loss", 1.0, 0.9, 0.95, 0.96, 0.97, 0.98 } };
        using var straight = new CallbackHarness(new PlateauStopCallback(options)) { Metrics = valLoss };
        var whole = straight.Run();

        // A new instance loads the state that an epoch checkpoint held after epoch 3; the run goes on from epoch 4.
        using var resuming = new CallbackHarness(new PlateauStopCallback(options)) { Metrics = valLoss };
        var resumed = resuming.Run(whole.Checkpoints[2]);

        Assert.That(resumed.HookNames.Count(hook => hook == "OnEpochStart"), Is.EqualTo(2));
        Assert.That(resumed.EpochsCompleted, Is.EqualTo(whole.EpochsCompleted));
        Assert.That(resumed.StopRequest, Is.EqualTo(whole.StopRequest));
    }
}
// end-snippet
