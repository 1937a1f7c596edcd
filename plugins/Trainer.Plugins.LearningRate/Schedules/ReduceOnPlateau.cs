using Trainer.Callbacks;
using Trainer.Training;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>
/// Reduce-on-plateau, with PyTorch's rules: after more than <paramref name="patience"/> epochs without improvement
/// the rate is multiplied by <paramref name="factor"/> (never below the minimum), then <paramref name="cooldown"/>
/// epochs pass before bad epochs are counted again.
/// </summary>
public sealed class ReduceOnPlateau(MetricMonitor monitor, double factor, int patience, int cooldown)
{
    /// <summary>The monitored metric.</summary>
    public MetricMonitor Monitor { get; } = monitor;

    /// <summary>The multiplier applied to the rate by reductions so far.</summary>
    public double Scale { get; private set; } = 1;

    /// <summary>The best value seen.</summary>
    public double Best { get; private set; } = monitor.Worst;

    /// <summary>Epochs without improvement since the last improvement or reduction.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownLeft { get; private set; }

    /// <summary>Records one epoch's value; returns true when it reduced the rate.</summary>
    public bool Observe(double value)
    {
        if (Monitor.IsImprovement(value, Best))
        {
            Best = value;
            BadEpochs = 0;
        }
        else
        {
            BadEpochs++;
        }

        if (CooldownLeft > 0)
        {
            CooldownLeft--;
            BadEpochs = 0;
        }

        if (BadEpochs <= patience) return false;
        Scale *= factor;
        CooldownLeft = cooldown;
        BadEpochs = 0;
        return true;
    }

    /// <summary>Adds the state to <paramref name="state"/>.</summary>
    public void Save(CallbackState state) =>
        state.Set("plateauScale", Scale).Set("plateauBest", Best).Set("plateauBad", (long)BadEpochs).Set("plateauCooldown", (long)CooldownLeft);

    /// <summary>Restores the state saved by <see cref="Save"/>.</summary>
    public void Load(CallbackState state)
    {
        Scale = state.GetDouble("plateauScale");
        Best = state.GetDouble("plateauBest");
        BadEpochs = (int)state.GetInt64("plateauBad");
        CooldownLeft = (int)state.GetInt64("plateauCooldown");
    }
}
