using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>
/// Initialises the weights of every linear and convolution layer of a module by a named scheme; biases start at 0
/// and batch-norm scales at 1. With fan_in = inputs per unit (in_channels·k·k for a convolution):
/// <list type="bullet">
/// <item><c>he</c>: N(0, 2/fan_in), for ReLU-family activations (He et al. 2015).</item>
/// <item><c>xavier</c>: N(0, 2/(fan_in + fan_out)) (Glorot and Bengio 2010).</item>
/// <item><c>lecun</c>: N(0, 1/fan_in), the course's "Xavier" variant for tanh.</item>
/// <item><c>normal-0.01</c>: N(0, 0.01²), small random values.</item>
/// <item><c>zeros</c>: all weights 0 (shows why symmetry must be broken).</item>
/// </list>
/// Draws come from TorchSharp's global generator, so <c>torch.manual_seed</c> makes them reproducible.
/// </summary>
public static class WeightInitializer
{
    /// <summary>The variance a scheme gives a weight with the given fan-in and fan-out.</summary>
    public static double Variance(string scheme, long fanIn, long fanOut) => scheme.ToLowerInvariant() switch
    {
        "he" => 2.0 / fanIn,
        "xavier" => 2.0 / (fanIn + fanOut),
        "lecun" => 1.0 / fanIn,
        "normal-0.01" => 1e-4,
        "zeros" => 0.0,
        _ => throw new ArgumentException($"Unknown initialisation scheme '{scheme}'.", nameof(scheme)),
    };

    /// <summary>Applies <paramref name="scheme"/> to every layer of <paramref name="module"/>.</summary>
    public static void Apply(nn.Module module, string scheme)
    {
        using var noGrad = no_grad();
        // named_modules() leaves out the module itself, which may be a layer too.
        foreach (var layer in module.named_modules().Select(m => m.module).Prepend(module))
        {
            switch (layer)
            {
                case TorchSharp.Modules.Linear linear:
                    Initialize(linear.weight!, linear.bias, scheme, linear.weight!.shape[1], linear.weight.shape[0]);
                    break;
                case TorchSharp.Modules.Convolution conv when !conv.transposed: // TorchSharp's Conv2d and Conv2dLayer
                    var w = conv.weight!;
                    var receptive = w.shape[2] * w.shape[3];
                    Initialize(w, conv.bias, scheme, w.shape[1] * receptive, w.shape[0] * receptive);
                    break;
                case TorchSharp.Modules.NormBase norm: // TorchSharp's batch norms and BatchNormLayer
                    norm.weight?.fill_(1); norm.bias?.zero_();
                    break;
            }
        }
    }

    private static void Initialize(Tensor weight, Tensor? bias, string scheme, long fanIn, long fanOut)
    {
        var variance = Variance(scheme, fanIn, fanOut);
        if (variance == 0) weight.zero_();
        else nn.init.normal_(weight, 0, Math.Sqrt(variance));
        bias?.zero_();
    }
}
