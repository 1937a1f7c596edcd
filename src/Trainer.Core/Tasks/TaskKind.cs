namespace Trainer.Tasks;

/// <summary>What a model learns to predict (<c>Task:Kind</c>).</summary>
public enum TaskKind
{
    /// <summary>One class of several: a logit per class, int64 class indices as targets.</summary>
    Classification,

    /// <summary>One or more numbers: an output per target, float32 targets.</summary>
    Regression,

    /// <summary>Yes or no: one logit, float32 targets 0 or 1.</summary>
    Binary,

    /// <summary>Any subset of labels: a logit per label, float32 targets 0 or 1 per label.</summary>
    Multilabel,
}
