namespace Trainer.Training;

/// <summary>The names of the metrics the trainer logs; callbacks monitor them by these names.</summary>
public static class MetricNames
{
    /// <summary>Mean loss (the task's: cross-entropy for classification) over the epoch's training batches.</summary>
    public const string TrainLoss = "train_loss";
    /// <summary>Fraction of training examples classified correctly during the epoch.</summary>
    public const string TrainAccuracy = "train_accuracy";
    /// <summary>Mean cross-entropy on the validation split (evaluation mode).</summary>
    public const string ValLoss = "val_loss";
    /// <summary>Accuracy on the validation split (evaluation mode).</summary>
    public const string ValAccuracy = "val_accuracy";
    /// <summary>Mean cross-entropy on the test split, after training.</summary>
    public const string TestLoss = "test_loss";
    /// <summary>Accuracy on the test split, after training.</summary>
    public const string TestAccuracy = "test_accuracy";
    /// <summary>The learning rate during the epoch.</summary>
    public const string LearningRate = "lr";

    /// <summary>The prefix of training metrics: <c>train_</c> + a task metric's name.</summary>
    public const string Train = "train";
    /// <summary>The prefix of validation metrics.</summary>
    public const string Val = "val";
    /// <summary>The prefix of test metrics.</summary>
    public const string Test = "test";

    /// <summary>Metrics as "name=value" pairs for a log line, e.g. "rmse=3.2100 mae=2.5000".</summary>
    public static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(" ", metrics.Select(m => $"{m.Key}={m.Value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>The name a final metric of the last epoch takes in summary.json: <c>last_val_loss</c> for <c>val_loss</c>.</summary>
    public static string Last(string metric) => "last_" + metric;
}
