using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Testing;

/// <summary>
/// The harness's optimizer: plain SGD (w ← w − lr·g, one parameter group) whose every <see cref="step"/> records the
/// learning rate it applied, so a test sees exactly what a schedule set. Its state is SGD's, so checkpoints hold it.
/// </summary>
public sealed class FakeOptimizer : SGD
{
    private readonly List<double> rates = [];

    /// <summary>Creates the optimizer over <paramref name="parameters"/> at learning rate <paramref name="learningRate"/>.</summary>
    public FakeOptimizer(IEnumerable<Parameter> parameters, double learningRate) : base(parameters, learningRate) { }

    /// <summary>The learning rate of every step taken, oldest first.</summary>
    public IReadOnlyList<double> StepRates => rates;

    /// <summary>The learning rate the next step would apply (that of the first parameter group).</summary>
    public double LearningRate => ParamGroups.First().LearningRate;

    /// <summary>Records the rate, then takes an SGD step over the parameters that have gradients.</summary>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        rates.Add(LearningRate);
        return base.step(closure);
    }
}
