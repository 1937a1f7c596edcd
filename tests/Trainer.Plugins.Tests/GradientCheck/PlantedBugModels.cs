using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Trainer.Plugins.Tests.GradientCheck;

public enum PlantedBug { None, BackwardTimesTwo, BackwardTransposed }

/// <summary>y = x·Wᵀ as a custom autograd function whose backward can carry a planted bug.</summary>
public sealed class CustomLinearFunction : SingleTensorFunction<CustomLinearFunction>
{
    public override string Name => "CustomLinear";

    /// <summary>vars: x, W, and the <see cref="PlantedBug"/> to plant in backward.</summary>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var w = (Tensor)vars[1];
        ctx.save_for_backward([x, w]);
        ctx.save_data("bug", vars[2]);
        return x.matmul(w.t());
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (x, w) = (saved[0], saved[1]);
        var gradX = grad_output.matmul(w);
        var gradW = grad_output.t().matmul(x);
        gradW = (PlantedBug)ctx.get_data("bug") switch
        {
            PlantedBug.BackwardTimesTwo => gradW * 2,
            PlantedBug.BackwardTransposed => gradW.t(),
            _ => gradW,
        };
        return [gradX, gradW, null!]; // one gradient per argument; the bug flag has none
    }
}

/// <summary>Identity forward, gradient times a factor backward: a gradient hook that scales what flows into a tensor.</summary>
public sealed class ScaleGradientFunction : SingleTensorFunction<ScaleGradientFunction>
{
    public override string Name => "ScaleGradient";

    /// <summary>vars: the tensor and the factor.</summary>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        ctx.save_data("factor", vars[1]);
        return ((Tensor)vars[0]).clone();
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output) => [grad_output * (double)ctx.get_data("factor"), null!];
}

/// <summary>
/// flatten → fc1 (64→10) → tanh → custom (10→10, custom autograd) → tanh → out (10→10). Optionally a hook scales
/// fc1.weight's gradient.
/// </summary>
public sealed class PlantedBugNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Parameter custom;
    private readonly Linear @out;
    private readonly PlantedBug bug;
    private readonly double fc1GradientScale;

    public PlantedBugNet(PlantedBug bug = PlantedBug.None, double fc1GradientScale = 1) : base("PlantedBugNet")
    {
        this.bug = bug;
        this.fc1GradientScale = fc1GradientScale;
        fc1 = nn.Linear(64, 10);
        custom = nn.Parameter(randn(10, 10) * 0.3);
        @out = nn.Linear(10, 10);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = input.flatten(1);
        var w1 = fc1GradientScale == 1 ? fc1.weight! : ScaleGradientFunction.apply(fc1.weight!, fc1GradientScale);
        x = nn.functional.linear(x, w1, fc1.bias).tanh();
        x = CustomLinearFunction.apply(x, custom, bug).tanh();
        return @out.forward(x);
    }
}
