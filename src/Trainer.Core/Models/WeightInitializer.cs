using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>
/// Initialises the weights of every linear and convolution layer of a module by a named scheme; biases start at 0
/// and batch-norm scales at 1. With fan_in = inputs per unit and fan_out = units reached per input (for a convolution of
/// any dimension: in_channels and out_channels times the kernel's size, e.g. in_channels·k·k for Conv2d):
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
                    var (inputs, outputs) = Fans(linear.weight!);
                    Initialize(linear.weight!, linear.bias, scheme, inputs, outputs);
                    break;
                case TorchSharp.Modules.Convolution conv when !conv.transposed: // Conv1d, Conv2d, Conv3d and Conv2dLayer
                    var (fanIn, fanOut) = Fans(conv.weight!);
                    Initialize(conv.weight!, conv.bias, scheme, fanIn, fanOut);
                    break;
                case TorchSharp.Modules.NormBase norm: // TorchSharp's batch norms and BatchNormLayer
                    norm.weight?.fill_(1); norm.bias?.zero_();
                    break;
            }
        }
    }

    /// <summary>
    /// fan_in and fan_out of a weight of any rank (out × in × kernel…): the receptive field is the product of every
    /// dimension after the first two, as in PyTorch's <c>_calculate_fan_in_and_fan_out</c>.
    /// </summary>
    public static (long FanIn, long FanOut) Fans(Tensor weight)
    {
        if (weight.dim() < 2) throw new ArgumentException($"A weight needs at least two dimensions to have a fan-in and fan-out; this one has {weight.dim()}.", nameof(weight));
        long receptive = 1;
        for (var d = 2; d < weight.dim(); d++) receptive *= weight.size(d);
        return (weight.size(1) * receptive, weight.size(0) * receptive);
    }

    private static void Initialize(Tensor weight, Tensor? bias, string scheme, long fanIn, long fanOut)
    {
        var variance = Variance(scheme, fanIn, fanOut);
        if (variance == 0) weight.zero_();
        else nn.init.normal_(weight, 0, Math.Sqrt(variance));
        bias?.zero_();
    }
}
