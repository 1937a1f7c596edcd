using Trainer.Data;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Core.Tests.Support;

/// <summary>
/// A seeded source of 4 standard-normal features and a known target: "linear" y = 3x₀ − 2x₁ + 5 + 0.1·noise (float32),
/// "binary" classes by the sign of x₀ + x₁ (named "no", "yes"), "multilabel" one 0/1 label per feature sign, "names"
/// three named classes, "fractions" targets 0.5, 1.5, ….
/// </summary>
public sealed class SyntheticDataSource(string name, string target, int count = 1200) : IDataSource
{
    public string Name => name;

    public RawData Load(DataOptions options)
    {
        using var generator = new Generator(11);
        var x = randn([count, 4], generator: generator);
        using var scope = NewDisposeScope();
        Tensor labels;
        IReadOnlyList<string>? names = null;
        var classes = 0;
        switch (target)
        {
            case "linear":
                labels = (3 * x[.., 0] - 2 * x[.., 1] + 5 + 0.1 * randn([count], generator: generator)).to_type(ScalarType.Float32);
                break;
            case "binary":
                labels = (x[.., 0] + x[.., 1]).gt(0).to_type(ScalarType.Int64);
                (names, classes) = (["no", "yes"], 2);
                break;
            case "multilabel":
                labels = x.gt(0).to_type(ScalarType.Float32);
                break;
            case "names":
                labels = x[.., 0].gt(0).to_type(ScalarType.Int64) + x[.., 1].gt(0).to_type(ScalarType.Int64);
                (names, classes) = (["low", "middle", "high"], 3);
                break;
            default:
                labels = arange(count, ScalarType.Float32).remainder(3) + 0.5;
                break;
        }
        return new RawData(new Dataset(x, labels.MoveToOuterDisposeScope(), classes) { ClassNames = names }, null);
    }
}
