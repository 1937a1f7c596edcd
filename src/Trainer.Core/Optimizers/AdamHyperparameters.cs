namespace Trainer.Optimizers;

/// <summary>The hyperparameters of one Adam or AdamW step, read from the parameter group at that step.</summary>
internal readonly record struct AdamHyperparameters(double LearningRate, double Beta1, double Beta2, double WeightDecay, double Epsilon, bool Maximize);
