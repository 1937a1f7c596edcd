using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Core.Tests.Support;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Tasks;
using Trainer.Training;

namespace Trainer.Core.Tests.Tasks;

/// <summary>Runs of each task kind end to end: the loss and metrics follow Task:Kind, and data that does not fit it is refused in one line.</summary>
public sealed class TaskTrainingTests
{
    private static RecipeOptions Recipe(string kind, string target, int epochs = 30, List<string>? metrics = null, string? loss = null) => new()
    {
        Name = "task-" + kind,
        Data = new DataOptions { Source = "synthetic-" + target, ValidationFraction = 0.2, TestFraction = 0.2 },
        Task = new TaskOptions { Kind = kind, Metrics = metrics, Loss = loss },
        Model = new ModelOptions { Kind = "mlp", Hidden = [16] },
        Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.02 },
        Training = new TrainingOptions { Epochs = epochs, BatchSize = 64, Device = "cpu", Seed = 3 },
    };

    private static (TrainingResult Result, string[] Header, TrainingTask Task) Train(RecipeOptions recipe)
    {
        using var folder = new TempFolder();
        var sources = new IDataSource[] { new SyntheticDataSource(recipe.Data.Source, recipe.Data.Source["synthetic-".Length..]) };
        using var setup = TrainingSetup.Create(recipe, folder.Path, sources);
        var result = new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("task", folder.Path), NullLogger.Instance).Run(CancellationToken.None);
        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.FailureMessage);
        var header = File.ReadLines(Path.Combine(folder.Path, RunFiles.Metrics)).First().Split(',');
        return (result, header, setup.Task);
    }

    [Test]
    public void RegressionLearnsALinearTargetAndReportsErrorsInTheTargetsOwnUnits()
    {
        var (result, header, task) = Train(Recipe("regression", "linear"));

        Assert.That(task.Loss, Is.TypeOf<MeanSquaredErrorLoss>());
        Assert.That(task.Outputs, Is.EqualTo(1));
        // y = 3x₀ − 2x₁ + 5 + 0.1 noise: σ(y) ≈ √13 ≈ 3.6, so an RMSE well under 0.5 is in the target's units, not standard ones.
        Assert.That(task.TargetScaling!.Mean[0], Is.EqualTo(5).Within(0.3));
        Assert.That(task.TargetScaling.StandardDeviation[0], Is.EqualTo(Math.Sqrt(13)).Within(0.3));
        Assert.That(result.FinalMetrics["test_rmse"], Is.LessThan(0.5));
        Assert.That(result.FinalMetrics["test_mae"], Is.LessThan(result.FinalMetrics["test_rmse"]));
        Assert.That(result.FinalMetrics["test_r2"], Is.GreaterThan(0.98));
        Assert.That(header, Is.EqualTo(new[] { "epoch", "lr", "train_loss", "val_loss", "train_rmse", "train_mae", "train_r2", "val_rmse", "val_mae", "val_r2",
            "seconds", "samples_per_second" }));
        Assert.That(result.FinalMetrics.Keys, Has.None.Contains("accuracy"));
    }

    [Test]
    public void BinaryTrainsOneLogitWithBinaryCrossEntropyAndReportsAucAndF1()
    {
        var (result, _, task) = Train(Recipe("binary", "binary", epochs: 10));

        Assert.That((task.Outputs, task.Loss.Name, task.ClassNames), Is.EqualTo((1, "bce", (IReadOnlyList<string>?)new[] { "no", "yes" })));
        Assert.That(result.FinalMetrics["test_accuracy"], Is.GreaterThan(0.95));
        Assert.That(result.FinalMetrics["test_auc"], Is.GreaterThan(0.98));
        Assert.That(result.FinalMetrics["test_f1"], Is.GreaterThan(0.95));
    }

    [Test]
    public void MultilabelTrainsALogitPerLabel()
    {
        var (result, _, task) = Train(Recipe("multilabel", "multilabel", epochs: 10));

        Assert.That(task.Outputs, Is.EqualTo(4));
        Assert.That(result.FinalMetrics["test_f1"], Is.GreaterThan(0.95));
        Assert.That(result.FinalMetrics["test_accuracy"], Is.GreaterThan(0.95));
    }

    [Test]
    public void ClassificationWithLabelSmoothingAndTopKAccuracyOnNamedClasses()
    {
        var recipe = Recipe("classification", "names", epochs: 5, metrics: ["accuracy", "top2_accuracy"]);
        recipe.Task.LabelSmoothing = 0.1;
        var (result, header, task) = Train(recipe);

        Assert.That(task.ClassNames, Is.EqualTo(new[] { "low", "middle", "high" }));
        Assert.That(header, Does.Contain("val_top2_accuracy"));
        Assert.That(result.FinalMetrics["test_top2_accuracy"], Is.GreaterThanOrEqualTo(result.FinalMetrics["test_accuracy"]));
        Assert.That(result.FinalMetrics["test_accuracy"], Is.GreaterThan(0.9));
    }

    [TestCase("regression", "names", "Task:Kind 'regression' needs a numeric target; Data:Source 'synthetic-names' gives classes (low, middle, high)")]
    [TestCase("classification", "fractions", "Task:Kind 'classification' needs class labels (0, 1, 2, … or names); Data:Source 'synthetic-fractions' has the target 0.5")]
    [TestCase("binary", "names", "Task:Kind 'binary' needs two classes (0 and 1, or two names); Data:Source 'synthetic-names' has 3 (low, middle, high)")]
    [TestCase("multilabel", "names", "Task:Kind 'multilabel' needs a 0/1 value per label for every example")]
    [TestCase("ranking", "linear", "Task:Kind 'ranking' is not supported; use one of: classification, regression, binary, multilabel.")]
    public void DataThatDoesNotFitTheTaskIsRefusedInOneLine(string kind, string target, string message)
    {
        using var folder = new TempFolder();
        var recipe = Recipe(kind, target);
        var error = Assert.Throws<RecipeException>(() =>
            TrainingSetup.Create(recipe, folder.Path, [new SyntheticDataSource(recipe.Data.Source, target)]).Dispose())!;
        Assert.That(error.Message, Does.StartWith(message));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void ALossOrMetricThatDoesNotFitTheTaskIsNamedWithTheChoices()
    {
        using var folder = new TempFolder();
        var recipe = Recipe("regression", "linear", metrics: ["rmse", "accuracy", "nope"], loss: "bce");
        var error = Assert.Throws<RecipeException>(() =>
            TrainingSetup.Create(recipe, folder.Path, [new SyntheticDataSource(recipe.Data.Source, "linear")]).Dispose())!;
        Assert.That(error.Errors, Is.EqualTo(new[]
        {
            "Task:Loss 'bce' does not fit Task:Kind 'regression'; use mse or another of: huber, l1, mse.",
            "Task:Metrics:1 'accuracy' is not defined for Task:Kind 'regression'; its metrics include rmse, mae, r2.",
            "Task:Metrics:2 'nope' is not known; use one of: accuracy, auc, f1, mae, precision, r2, recall, rmse, topK_accuracy (e.g. top5_accuracy).",
        }));
    }
}
