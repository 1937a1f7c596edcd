using Trainer.Callbacks;
using Trainer.Hosting.Tests.Support;
using Trainer.Runs;
using Trainer.Training;

namespace Trainer.Hosting.Tests.Docs;

public sealed class PlateauStopCallbackTests
{
    // begin-snippet: plateau-stop-test
    [Test]
    public void StopsWhenTheLossHasNotImprovedByMinDeltaForPatienceEpochs()
    {
        var valLoss = new ScriptedMetricCallback("val_loss", 1.0, 0.8, 0.81, 0.79, 0.5, 0.4);
        var plateau = new PlateauStopCallback(new PlateauStopOptions { Patience = 2, MinDelta = 0.05 });

        var result = DocsRun.TrainDigits(epochs: 6, valLoss, plateau);

        Assert.That(result.Status, Is.EqualTo(RunStatus.StoppedEarly));
        Assert.That(result.EpochsCompleted, Is.EqualTo(4));
        Assert.That(result.BestEpoch, Is.EqualTo(2));
        Assert.That(result.StopRequest!.Reason, Is.EqualTo("no-improvement"));
        Assert.That(result.StopRequest.Message, Is.EqualTo("val_loss did not improve for 2 epochs; best 0.8 in epoch 2"));
    }
    // end-snippet

    [Test]
    public void ANonFiniteLossStopsAtOnce()
    {
        // Not val_loss: a NaN val_loss fails the run before OnEpochEnd (Training:TerminateOnNonFinite).
        var result = DocsRun.TrainDigits(3, new ScriptedMetricCallback("smoothed_loss", 1.0, double.NaN, 0.5),
            new PlateauStopCallback(new PlateauStopOptions { Monitor = "smoothed_loss" }));

        Assert.That(result.Status, Is.EqualTo(RunStatus.StoppedEarly));
        Assert.That(result.EpochsCompleted, Is.EqualTo(2));
        Assert.That(result.StopRequest!.Reason, Is.EqualTo("not-finite"));
        Assert.That(result.StopRequest.Message, Is.EqualTo("smoothed_loss is NaN in epoch 2"));
    }

    [Test]
    public void WarmupEpochsAreNotChecked()
    {
        var result = DocsRun.TrainDigits(5, new ScriptedMetricCallback("val_loss", 0.1, 0.2, 0.3, 0.4, 0.5),
            new PlateauStopCallback(new PlateauStopOptions { Patience = 1, WarmupEpochs = 3 }));

        Assert.That(result.EpochsCompleted, Is.EqualTo(5), "epoch 4 sets the best, epoch 5 uses up the patience");
        Assert.That(result.StopRequest!.Message, Is.EqualTo("val_loss did not improve for 1 epochs; best 0.4 in epoch 4"));
    }

    [Test]
    public void ItsStateRoundTripsThroughJson()
    {
        var options = new PlateauStopOptions { Patience = 5 };
        var trained = new PlateauStopCallback(options);
        DocsRun.TrainDigits(4, new ScriptedMetricCallback("val_loss", 1.0, 0.9, 0.95, 0.96), trained);
        var json = trained.SaveState().ToJson();

        var restored = new PlateauStopCallback(options);
        restored.LoadState(CallbackState.FromJson(json));

        Assert.That(json, Is.EqualTo("""{"best":0.9,"bestEpoch":2,"wait":2}"""));
        Assert.That(restored.SaveState().ToJson(), Is.EqualTo(json));
    }

    [Test]
    public void AResumedRunStopsWhereTheUninterruptedRunStops()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 6, extra: """
            "Callbacks": [
              { "Type": "PlateauStop", "Options": { "Patience": 3 } },
              { "Type": "Checkpoint", "Options": { "EveryEpochs": 1 } } ]
            """));
        double[] valLoss = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98];

        var whole = DocsRun.Recipe(recipe, folder.File("whole"), [new ScriptedMetricCallback("val_loss", valLoss)]);
        var firstPart = DocsRun.Recipe(recipe, folder.File("resumed"), [new ScriptedMetricCallback("val_loss", valLoss)],
            overrides: "--Training:Epochs=4");
        var secondPart = DocsRun.Recipe(recipe, folder.File("resumed"), [new ScriptedMetricCallback("val_loss", valLoss)], resume: true);

        Assert.That(new[] { whole, firstPart, secondPart }, Is.All.EqualTo((ExitCodes.Completed, "")));
        var expected = RunSummaryFile.Read(folder.File("whole"));
        var resumed = RunSummaryFile.Read(folder.File("resumed"));
        Assert.That((resumed.Status, resumed.Epochs, resumed.BestEpoch, resumed.StopReason, resumed.StopMessage),
            Is.EqualTo(("stopped-early", 5, (int?)2, "no-improvement", "val_loss did not improve for 3 epochs; best 0.9 in epoch 2")));
        Assert.That((resumed.Epochs, resumed.BestEpoch, resumed.StopReason, resumed.StopMessage),
            Is.EqualTo((expected.Epochs, expected.BestEpoch, expected.StopReason, expected.StopMessage)));
        Assert.That(MetricsWithoutSeconds(folder.File("resumed")), Is.EqualTo(MetricsWithoutSeconds(folder.File("whole"))), "bit for bit");
    }

    private static string[] MetricsWithoutSeconds(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.csv")).Select(l => string.Join(",", l.Split(',')[..^2])).ToArray(); // all but seconds and samples/s
}
