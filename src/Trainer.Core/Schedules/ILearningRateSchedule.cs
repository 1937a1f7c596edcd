namespace Trainer.Schedules;

/// <summary>A learning-rate schedule: a pure function of training progress.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate after <paramref name="epochs"/> completed epochs (fractional between epochs).</summary>
    /// <param name="initial">α0, the recipe's learning rate.</param>
    /// <param name="epochs">Completed epochs, 0 during the first; fractional when the rate changes every step.</param>
    double LearningRate(double initial, double epochs);
}
