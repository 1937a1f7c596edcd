using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Docs;

public sealed class GradientNormCallbackTests
{
    [Test]
    public void LogsTheMeanNormOfEveryLogEveryStepsAsAStructuredEvent()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 2,
            extra: """ "Callbacks": [ { "Type": "GradientNorm", "Options": { "LogEvery": 3 } } ] """));
        var recorder = new GradientNormRecorder(); // runs after the recipe's callbacks, on the same gradients

        var (code, errors) = DocsRun.Recipe(recipe, folder.File("run"), [recorder]);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(recorder.Norms, Has.Count.EqualTo(10), "2 epochs of 5 steps");
        var events = ClefLog.Events(folder.File("run"), 9101);
        Assert.That(events.Select(e => e.GetProperty("GlobalStep").GetInt64()), Is.EqualTo(new long[] { 3, 6, 9 }));
        foreach (var e in events)
        {
            var step = (int)e.GetProperty("GlobalStep").GetInt64();
            var expected = recorder.Norms.Skip(step - 3).Take(3).Average();
            Assert.That(e.GetProperty("GradientNorm").GetDouble(), Is.EqualTo(expected).Within(1e-5).Percent, $"step {step}");
            Assert.That(e.GetProperty("Steps").GetInt32(), Is.EqualTo(3));
            Assert.That(e.GetProperty("Epoch").GetInt32(), Is.EqualTo(step <= 5 ? 1 : 2));
            Assert.That(e.GetProperty("RunId").GetString(), Is.EqualTo("run"), "the run directory's name");
            Assert.That(e.GetProperty("@mt").GetString(), Is.EqualTo("Epoch {Epoch} step {GlobalStep}: gradient norm {GradientNorm:0.0000} (mean of {Steps} steps)"));
        }
    }

    [Test]
    public void LeavesNoTensorBehindOnceDisposed()
    {
        DocsRun.TrainDigits(epochs: 1); // the first run in a process fills caches
        var baseline = LiveTensorsAfter(() => DocsRun.TrainDigits(epochs: 2));

        var withCallback = LiveTensorsAfter(() =>
        {
            using var callback = new GradientNormCallback(new GradientNormOptions { LogEvery = 2 });
            DocsRun.TrainDigits(epochs: 2, callback);
        });

        Assert.That(withCallback, Is.EqualTo(baseline));
    }

    [Test]
    public void ATensorKeptAcrossStepsWithoutDetachingItFailsTheNextStep()
    {
        var recorder = new HookRecorder();

        var result = DocsRun.TrainDigits(epochs: 1, recorder, new UndetachedSumCallback());

        Assert.That(result.Status, Is.EqualTo(Trainer.Training.RunStatus.Failed));
        Assert.That(result.FailureMessage, Does.StartWith("Callback UndetachedSum failed in OnAfterBackward: "));
        Assert.That(recorder.Hooks.Count(h => h == "OnAfterBackward"), Is.EqualTo(2), "the first step worked; the second found the tensor freed");
    }

    private static long LiveTensorsAfter(Action run)
    {
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        run();
        return TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
    }
}
