using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>Reads every step's global gradient norm to the host in float64: the slow, obvious way, to check the guide's callback against.</summary>
internal sealed class GradientNormRecorder : TrainingCallback
{
    public List<double> Norms { get; } = [];

    public override void OnAfterBackward(BatchContext context)
    {
        using var noGrad = no_grad();
        var squares = context.Model.parameters().Select(p => p.grad).OfType<Tensor>()
            .Sum(g => g.to_type(ScalarType.Float64).square().sum().item<double>());
        Norms.Add(Math.Sqrt(squares));
    }
}
