using System.Globalization;
using Trainer.Search;

namespace Trainer.Bench;

/// <summary>
/// The four synthetic functions of <c>search-synthetic</c>, all minimised, defined exactly as in bench/optuna_synthetic.py.
/// </summary>
public static class SyntheticFunctions
{
    private static readonly double[] HartmannAlpha = [1.0, 1.2, 3.0, 3.2];
    private static readonly double[,] HartmannA =
        { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
    private static readonly double[,] HartmannP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };
    private static readonly string[] Optimizers = ["sgd", "momentum", "adam"];
    private static readonly string[] Activations = ["relu", "tanh", "gelu"];
    private static readonly string[] Norms = ["none", "batch", "layer"];
    private static readonly double[,] MixM = { { 0.5, 0.8, 0.7 }, { 0.4, 0.2, 0.5 }, { 0.5, 0.3, 0.1 } }; // [optimizer, activation]
    private static readonly double[,] MixN = { { 0.3, 0.0, 0.2 }, { 0.3, 0.0, 0.1 }, { 0.2, 0.3, 0.0 } }; // [optimizer, norm]
    private static readonly double[] MixDropout = [0.1, 0.25, 0.4]; // best dropout per optimizer
    private static readonly double[] MixDecay = [-4.0, -3.0, -2.0]; // best log10(weight decay) per activation

    /// <summary>The four functions, in report order.</summary>
    public static IReadOnlyList<SyntheticFunction> All { get; } =
    [
        new("lr-quadratic",
            "lr LogUniform 1e-5..1, β OneMinusLogUniform 0.8..0.999, units IntLogUniform 16..1024, batch Categorical 32/64/128/256; " +
            "b = log2(batch/128), x1 = log10(lr) + 3 − 0.15 b, x2 = log10(1−β) + 2, x3 = log2(units) − 8; " +
            "f = x1² + 0.5 x2² + 0.3 x1 x2 + 0.1 x3² + 0.05 b²; minimum 0 at lr 1e-3, β 0.99, units 256, batch 128",
            [new LogUniformDistribution(1e-5, 1), new OneMinusLogUniformDistribution(0.8, 0.999), new IntLogUniformDistribution(16, 1024),
                new CategoricalDistribution(["32", "64", "128", "256"])],
            v => LrQuadratic((double)v[0], (double)v[1], (long)v[2], Number(v[3])), 0,
            [([1e-3, 0.99, 256L, "128"], 0), ([0.02, 0.9, 40L, "32"], 4.460812958610366)]),
        new("branin",
            "x1 Uniform −5..10, x2 Uniform 0..15; f = (x2 − 5.1/(4π²) x1² + 5/π x1 − 6)² + 10 (1 − 1/(8π)) cos x1 + 10; minimum 0.397887",
            [new UniformDistribution(-5, 10), new UniformDistribution(0, 15)], v => Branin((double)v[0], (double)v[1]), 0.397887,
            [([Math.PI, 2.275], 0.39788735772973816), ([1.5, 7.0], 20.268523545675635)]),
        new("hartmann6",
            "x0..x5 Uniform 0..1; f = −Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²), the standard α, A, P; minimum −3.32237",
            [.. Enumerable.Range(0, 6).Select(_ => new UniformDistribution(0, 1))], v => Hartmann6([.. v.Cast<double>()]), -3.32237,
            [([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573], -3.322368011391339), ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], -1.4069105761385299)]),
        new("categorical-mix",
            "optimizer o ∈ sgd/momentum/adam, activation a ∈ relu/tanh/gelu, norm n ∈ none/batch/layer (Categorical), dropout Uniform 0..0.5, " +
            "decay LogUniform 1e-6..1e-1; f = M[o,a] + N[o,n] + 4 (dropout − D[o])² + 0.05 (log10 decay − W[a])², " +
            "M = [[.5,.8,.7],[.4,.2,.5],[.5,.3,.1]], N = [[.3,0,.2],[.3,0,.1],[.2,.3,0]], D = [.1,.25,.4], W = [−4,−3,−2]; " +
            "minimum 0.1 at adam, gelu, layer, dropout 0.4, decay 1e-2 (a second basin, 0.2, at momentum, tanh, batch)",
            [new CategoricalDistribution(Optimizers), new CategoricalDistribution(Activations), new CategoricalDistribution(Norms),
                new UniformDistribution(0, 0.5), new LogUniformDistribution(1e-6, 1e-1)],
            v => CategoricalMix((string)v[0], (string)v[1], (string)v[2], (double)v[3], (double)v[4]), 0.1,
            [(["adam", "gelu", "layer", 0.4, 1e-2], 0.1), (["momentum", "relu", "none", 0.05, 3e-5], 0.873670109113297)]),
    ];

    /// <summary>(a) The shifted log-scale quadratic (see <see cref="All"/> for the formula).</summary>
    public static double LrQuadratic(double learningRate, double beta, long units, double batch)
    {
        var b = Math.Log2(batch / 128);
        var x1 = Math.Log10(learningRate) + 3 - 0.15 * b;
        var x2 = Math.Log10(1 - beta) + 2;
        var x3 = Math.Log2(units) - 8;
        return x1 * x1 + 0.5 * x2 * x2 + 0.3 * x1 * x2 + 0.1 * x3 * x3 + 0.05 * b * b;
    }

    /// <summary>(b) Branin.</summary>
    public static double Branin(double x1, double x2) =>
        Math.Pow(x2 - 5.1 / (4 * Math.PI * Math.PI) * x1 * x1 + 5 / Math.PI * x1 - 6, 2) + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(x1) + 10;

    /// <summary>(c) Hartmann-6.</summary>
    public static double Hartmann6(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++) inner += HartmannA[i, j] * (x[j] - HartmannP[i, j]) * (x[j] - HartmannP[i, j]);
            sum += HartmannAlpha[i] * Math.Exp(-inner);
        }
        return -sum;
    }

    /// <summary>(d) The categorical mix.</summary>
    public static double CategoricalMix(string optimizer, string activation, string norm, double dropout, double decay)
    {
        var o = Array.IndexOf(Optimizers, optimizer);
        var a = Array.IndexOf(Activations, activation);
        var n = Array.IndexOf(Norms, norm);
        return MixM[o, a] + MixN[o, n] + 4 * Math.Pow(dropout - MixDropout[o], 2) + 0.05 * Math.Pow(Math.Log10(decay) - MixDecay[a], 2);
    }

    private static double Number(object value) => double.Parse((string)value, CultureInfo.InvariantCulture);
}
