using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// What one run learns: the task's kind, its loss and metrics, the model's number of outputs, and for regression the
/// targets' standardisation. Built once per run from <c>Task</c> and the training split.
/// </summary>
public sealed class TrainingTask
{
    /// <summary>Creates the task.</summary>
    public TrainingTask(TaskKind kind, ILoss loss, IReadOnlyList<IMetric> metrics, int outputs, double threshold = 0.5,
        TargetScaling? targetScaling = null, IReadOnlyList<string>? classNames = null)
    {
        Kind = kind;
        Loss = loss;
        Metrics = metrics;
        Outputs = outputs;
        Threshold = threshold;
        TargetScaling = targetScaling;
        ClassNames = classNames;
    }

    /// <summary>The task's kind.</summary>
    public TaskKind Kind { get; }

    /// <summary>The training loss.</summary>
    public ILoss Loss { get; }

    /// <summary>The metrics reported for training, validation and test; the first is the primary one.</summary>
    public IReadOnlyList<IMetric> Metrics { get; }

    /// <summary>The model's outputs per example: classes, targets or labels (1 for binary).</summary>
    public int Outputs { get; }

    /// <summary>Binary and multilabel: the probability from which an output counts as positive.</summary>
    public double Threshold { get; }

    /// <summary>Regression: the standardisation of the targets, or null when they are used as they are.</summary>
    public TargetScaling? TargetScaling { get; }

    /// <summary>The classes' (or labels') names, when the data has them.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The primary metric's name (the first of <see cref="Metrics"/>), e.g. "accuracy" or "rmse"; null without metrics.</summary>
    public string? PrimaryMetric => Metrics.Count > 0 ? Metrics[0].Name : null;

    /// <summary>A classification task with cross-entropy and accuracy, as every run was before tasks had kinds.</summary>
    public static TrainingTask Classification(int classes, IReadOnlyList<string>? classNames = null) =>
        new(TaskKind.Classification, new CrossEntropyLoss(), [new AccuracyMetric()], classes, classNames: classNames);

    /// <summary>
    /// The task <paramref name="options"/> describes for <paramref name="train"/> (targets already converted by
    /// <see cref="TaskTargets"/>); throws <see cref="RecipeException"/> listing every problem.
    /// </summary>
    public static TrainingTask Create(TaskOptions options, Dataset train, TargetScaling? scaling, TaskCatalog? catalog = null)
    {
        var errors = new List<string>();
        var kind = Parse(options, errors);
        catalog ??= TaskCatalog.BuiltIn;
        var loss = catalog.Loss(options, kind, errors);
        var metrics = catalog.Metrics(options, kind, errors);
        if (errors.Count > 0) throw new RecipeException(errors);
        return new TrainingTask(kind, loss!, metrics, TaskTargets.Outputs(train, kind), options.Threshold, scaling, train.ClassNames);
    }

    /// <summary>The kind <paramref name="options"/> names; adds a line to <paramref name="errors"/> for an unknown one.</summary>
    public static TaskKind Parse(TaskOptions options, List<string> errors)
    {
        if (TaskKinds.TryParse(options.Kind, out var kind)) return kind;
        errors.Add($"Task:Kind '{options.Kind}' is not supported; use one of: {string.Join(", ", TaskKinds.Names)}.");
        return TaskKind.Classification;
    }

    /// <summary>New, empty accumulators of <see cref="Metrics"/> on <paramref name="device"/>, for one pass.</summary>
    public TaskMetrics StartMetrics(Device device) => new(this, device);

    /// <summary>
    /// The model's outputs as predictions in the task's units: class probabilities (classification), probabilities per
    /// output (binary, multilabel), or values in the target's own units (regression).
    /// </summary>
    public Tensor Predict(Tensor outputs) => Kind switch
    {
        TaskKind.Classification => outputs.softmax(1),
        TaskKind.Regression => TargetScaling is { } scaling ? scaling.Restore(outputs) : outputs.alias(),
        _ => outputs.sigmoid(),
    };
}
