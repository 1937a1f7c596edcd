using Trainer.Training;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>What the guide's table says each hook's context holds, checked on a real run.</summary>
public sealed class CallbackContextTests
{
    [Test]
    public void EachHookSeesWhatTheGuidesTableSays()
    {
        var probe = new ContextProbe();

        var result = DocsRun.TrainDigits(epochs: 2, probe);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(probe.Facts, Is.EqualTo(new Dictionary<string, string>
        {
            ["OnTrainStart"] = "epoch=0 step=0 history=0 lr=0.001 train=True runDirectory=True stepsPerEpoch=5",
            ["OnEpochStart"] = "epoch=1 metrics=0 history=0",
            ["OnBatchStart"] = "batch=0/5 inputs=256 targets=256 logits=False loss=False correct=False step=0",
            ["OnAfterBackward"] = "logits=True loss=True correct=False gradients=True step=0",
            ["OnBatchEnd"] = "logits=True loss=True correct=True step=1",
            ["OnValidationEnd"] = "metrics=lr,train_accuracy,train_loss,val_accuracy,val_loss history=0",
            ["OnEpochEnd"] = "history=1 last=1 setMetric=refused",
            ["OnTrainEnd"] = "status=Completed epoch=2",
        }));
    }

    [Test]
    public void SettingTheLearningRateChangesTheRateTheEpochTrainsAt()
    {
        var result = DocsRun.TrainDigits(epochs: 2, new ContextProbe());

        Assert.That(result.History.Select(e => e["lr"]), Is.EqualTo(new double?[] { 0.001, ContextProbe.SecondEpochRate }));
    }

    [Test]
    public void EvaluateOnTheValidationSplitGivesTheEpochsValidationLoss()
    {
        var probe = new ContextProbe();

        DocsRun.TrainDigits(epochs: 2, probe);

        Assert.That(probe.ValidationLosses, Has.Count.EqualTo(2));
        foreach (var (measured, evaluated) in probe.ValidationLosses) Assert.That(evaluated, Is.EqualTo(measured).Within(1e-12));
    }
}
