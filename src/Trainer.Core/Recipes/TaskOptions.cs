namespace Trainer.Recipes;

/// <summary>Recipe section <c>Task</c>: what the model learns to predict, the loss it minimises and the metrics reported.</summary>
public sealed class TaskOptions
{
    /// <summary>
    /// <c>classification</c> (one class of several: softmax outputs, integer or named class labels), <c>regression</c>
    /// (one or more numbers), <c>binary</c> (yes or no: one logit), or <c>multilabel</c> (any subset of labels: one logit
    /// each). Default: "classification".
    /// </summary>
    public string Kind { get; set; } = "classification";

    /// <summary>
    /// The loss: <c>cross-entropy</c> (classification), <c>mse</c>, <c>huber</c> or <c>l1</c> (regression), <c>bce</c>
    /// (binary cross-entropy with logits: binary, multilabel), or a loss plugin's name. Default: the kind's first one.
    /// </summary>
    public string? Loss { get; set; }

    /// <summary>Options of a loss plugin, bound to its options type. Default: none.</summary>
    public Dictionary<string, string?>? LossOptions { get; set; }

    /// <summary>Label smoothing ε of <c>cross-entropy</c>, in [0, 1). Default: 0.</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>δ of the <c>huber</c> loss, in the standardised target's units, &gt; 0. Default: 1.</summary>
    public double HuberDelta { get; set; } = 1.0;

    /// <summary>
    /// The metrics computed for training, validation and test (logged as <c>train_NAME</c>, <c>val_NAME</c>,
    /// <c>test_NAME</c>): <c>accuracy</c>, <c>topK_accuracy</c> (e.g. <c>top5_accuracy</c>), <c>mae</c>, <c>rmse</c>,
    /// <c>r2</c>, <c>auc</c>, <c>f1</c>, <c>precision</c>, <c>recall</c>, or a metric plugin's name. Default: accuracy
    /// (classification); mae, rmse, r2 (regression); accuracy, auc, f1 (binary); accuracy, f1 (multilabel).
    /// </summary>
    public List<string>? Metrics { get; set; }

    /// <summary>
    /// For regression: standardise the targets with the training split's mean and standard deviation, so the loss is in
    /// standard units (the metrics are always reported in the target's own units). Default: true.
    /// </summary>
    public bool StandardizeTarget { get; set; } = true;

    /// <summary>For binary and multilabel: the probability from which an output counts as positive, in (0, 1). Default: 0.5.</summary>
    public double Threshold { get; set; } = 0.5;
}
