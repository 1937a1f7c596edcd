using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Models.Transfer;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Tests.Models.Transfer;

public sealed class FreezeTests
{
    private static readonly string[] HiddenLayer = ["layers.fc1.*", "layers.bn1.*"];

    [Test]
    public void FrozenTensorsAreBitIdenticalAfterTrainingAndTheOthersChange()
    {
        using var folder = new TempFolder();
        using var setup = TrainingSetup.Create(TransferModels.Recipe(freeze: HiddenLayer, epochs: 3), folder.Path);
        var before = TransferModels.Snapshot(setup.Model);

        var result = new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("freeze", folder.Path), NullLogger.Instance).Run(CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);
        var after = setup.Model.state_dict();
        foreach (var name in after.Keys.Where(n => n.StartsWith("layers.fc1.", StringComparison.Ordinal) || n.StartsWith("layers.bn1.", StringComparison.Ordinal)))
            Assert.That(TransferModels.Identical(after[name], before[name]), $"{name} is frozen");
        foreach (var name in new[] { "layers.out.weight", "layers.out.bias" })
            Assert.That(TransferModels.Identical(after[name], before[name]), Is.False, $"{name} trains");
        Assert.That(result.History[^1][MetricNames.TrainLoss], Is.LessThan(result.History[0][MetricNames.TrainLoss]!.Value));
    }

    [Test]
    public void TheRunningStatisticsOfAFrozenBatchNormLayerStayFixedWhenOnlyItsBuffersAreNamed()
    {
        using var folder = new TempFolder();
        using var setup = TrainingSetup.Create(TransferModels.Recipe(freeze: ["layers.bn1.running_*"]), folder.Path);
        var before = TransferModels.Snapshot(setup.Model);

        var result = new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("freeze", folder.Path), NullLogger.Instance).Run(CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);
        var after = setup.Model.state_dict();
        foreach (var name in new[] { "layers.bn1.running_mean", "layers.bn1.running_var", "layers.bn1.num_batches_tracked" })
            Assert.That(TransferModels.Identical(after[name], before[name]), name);
        Assert.That(TransferModels.Identical(after["layers.bn1.weight"], before["layers.bn1.weight"]), Is.False, "its affine parameters still train");
        Assert.That(setup.Frozen.BatchNormLayers, Is.EqualTo(new[] { "layers.bn1" }));
    }

    [Test]
    public void TheOptimizerHoldsOnlyTheParametersThatTrain()
    {
        using var folder = new TempFolder();
        using var setup = TrainingSetup.Create(TransferModels.Recipe(freeze: HiddenLayer), folder.Path);

        var trained = setup.Optimizer.parameters().ToList();
        var output = setup.Model.named_parameters().Where(p => p.name.StartsWith("layers.out.", StringComparison.Ordinal)).Select(p => p.parameter).ToList();

        Assert.That(trained.Select(p => p.Handle), Is.EqualTo(output.Select(p => p.Handle)));
        Assert.That(setup.Frozen.Parameters, Is.EqualTo(new[] { "layers.fc1.weight", "layers.bn1.weight", "layers.bn1.bias" }));
        Assert.That(setup.Model.named_parameters().Where(p => !p.parameter.requires_grad).Select(p => p.name), Is.EqualTo(setup.Frozen.Parameters));
    }

    [Test]
    public void EvaluationLeavesAFrozenBatchNormLayerInEvaluationMode()
    {
        using var folder = new TempFolder();
        using var setup = TrainingSetup.Create(TransferModels.Recipe(freeze: ["layers.bn1.*"]), folder.Path);
        setup.EnterTrainingMode();
        var layers = setup.Model.named_modules().ToDictionary(m => m.name, m => m.module);

        ModelEvaluator.Evaluate(setup.Model, setup.Data.Test, setup.Device, setup.Task);

        Assert.That((setup.Model.training, layers["layers.fc1"].training, layers["layers.bn1"].training), Is.EqualTo((true, true, false)));
    }

    [Test]
    public void APatternThatMatchesNothingIsAnErrorListingTheModelsTensors()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe(freeze: ["fc1.*"]), folder.Path).Dispose())!;

        Assert.That(error.Message, Is.EqualTo("Model:Freeze pattern 'fc1.*' matches no tensor of the model; its tensors: layers.fc1.weight, layers.bn1.weight, " +
                                              "layers.bn1.bias, layers.out.weight, layers.out.bias, layers.bn1.running_mean, layers.bn1.running_var, " +
                                              "layers.bn1.num_batches_tracked."));
    }

    [Test]
    public void FreezingEveryParameterIsAnError()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe(freeze: ["*"]), folder.Path).Dispose())!;

        Assert.That(error.Message, Is.EqualTo("Model:Freeze freezes every parameter of the model, so nothing would train; leave some out " +
                                              "(e.g. the output layer: its parameters are layers.out.weight, layers.out.bias)."));
    }

    [Test]
    public void QuestionMarksAndStarsMatchWholeNames()
    {
        using var model = TransferModels.Source();

        var frozen = ModelTransfer.Freeze(model, ["layers.fc?.weight", "*.bias"]);

        Assert.That(frozen.Parameters, Is.EqualTo(new[] { "layers.fc1.weight", "layers.bn1.bias", "layers.out.bias" }));
        Assert.That(frozen.BatchNormLayers, Is.EqualTo(new[] { "layers.bn1" }));
    }
}
