using Trainer.Plugins.GradientCheck;
using Trainer.Plugins.Tests.Support;
using Trainer.Training;

namespace Trainer.Plugins.Tests.GradientCheck;

public sealed class GradientCheckCallbackTests
{
    [Test]
    public void ChecksAtTheStartAndEveryNEpochsLoggingAStructuredResult()
    {
        var logger = new ListLogger();
        var callback = new GradientCheckCallback(new GradientCheckOptions { EveryEpochs = 2 });
        var recipe = TestTraining.Digits(4, seed: 3);
        recipe.Optimizer.WeightDecay = 0.001;

        var result = TestTraining.Train(recipe, null, logger, callback);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(callback.Reports, Has.Count.EqualTo(3), "at the start, after epoch 2 and after epoch 4");
        Assert.That(callback.Reports.Select(r => r.Verdict), Is.All.EqualTo(GradientCheckVerdict.Ok));
        var events = logger.Events.Where(e => e.Id.Id == 330).ToList();
        Assert.That(events.Select(e => e.Properties["Epoch"]), Is.EqualTo(new object[] { 0, 2, 4 }));
        Assert.That(events[0].Properties.Keys, Is.SupersetOf(new[] { "Verdict", "RelativeError", "WorstParameter", "EntriesChecked", "CheckSeconds" }));
    }

    [Test]
    public void ARecipeWithDropoutIsCheckedWithDropoutOffAndTheLogSaysSo()
    {
        var logger = new ListLogger();
        var callback = new GradientCheckCallback(new GradientCheckOptions());
        var recipe = TestTraining.Digits(1, seed: 3);
        recipe.Model.Dropout = 0.5;

        TestTraining.Train(recipe, null, logger, callback);

        Assert.That(callback.Reports.Single().DropoutDisabled, Is.True);
        Assert.That(callback.Reports.Single().Verdict, Is.EqualTo(GradientCheckVerdict.Ok));
        Assert.That(logger.Events.Count(e => e.Id.Id == 331), Is.EqualTo(1));
    }

    [Test]
    public void AFailingCheckFailsTheRunNamingTheWorstParameter()
    {
        // Thresholds of 0 make any rounding error a failure, exercising the failure path end to end.
        var callback = new GradientCheckCallback(new GradientCheckOptions { OkBelow = 0, WarnBelow = 0, FailAbove = 0 });

        var result = TestTraining.Train(TestTraining.Digits(3, seed: 3), callback);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.EpochsCompleted, Is.EqualTo(0));
        Assert.That(result.Exception!.InnerException, Is.TypeOf<GradientCheckFailedException>());
        Assert.That(result.FailureMessage, Does.StartWith("Callback GradientCheck failed in OnTrainStart: gradient check fail:")
            .And.Contain($"worst parameter {callback.Reports[0].WorstTensor.Name} at"));
    }

    [Test]
    public void WithoutFailOnErrorAFailingCheckIsOnlyReported()
    {
        var callback = new GradientCheckCallback(new GradientCheckOptions { OkBelow = 0, WarnBelow = 0, FailAbove = 0, FailOnError = false });

        var result = TestTraining.Train(TestTraining.Digits(1, seed: 3), callback);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(callback.Reports.Single().Verdict, Is.EqualTo(GradientCheckVerdict.Fail));
    }

    [Test]
    public void AdamWsDecoupledDecayIsNotPartOfTheCheckedCost()
    {
        Assert.That(GradientCheckCallback.WeightDecayOf(new Recipes.OptimizerOptions { Kind = "adamw", WeightDecay = 0.1 }), Is.EqualTo(0));
        Assert.That(GradientCheckCallback.WeightDecayOf(new Recipes.OptimizerOptions { Kind = "adam", WeightDecay = 0.1 }), Is.EqualTo(0.1));
    }
}
