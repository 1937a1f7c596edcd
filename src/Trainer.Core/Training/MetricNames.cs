namespace Trainer.Training;

/// <summary>The names of the metrics the trainer logs; callbacks monitor them by these names.</summary>
public static class MetricNames
{
    /// <summary>Mean cross-entropy over the epoch's training batches.</summary>
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

    /// <summary>The name a final metric of the last epoch takes in summary.json: <c>last_val_loss</c> for <c>val_loss</c>.</summary>
    public static string Last(string metric) => "last_" + metric;
}
