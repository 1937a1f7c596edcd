using Trainer.Models;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: model-factory
/// <summary><c>"Model": { "Type": "WideMlp", "Options": { "Width": 256 } }</c>: one wide hidden layer.</summary>
[ModelName("WideMlp")]
public sealed class WideMlpModelFactory(WideMlpOptions options) : IModelFactory
{
    public nn.Module<Tensor, Tensor> Create(ModelContext context) => nn.Sequential(
        ("flatten", nn.Flatten()),
        ("hidden", nn.Linear(context.InputShape.Aggregate(1L, (a, b) => a * b), options.Width)),
        ("relu", nn.ReLU()),
        ("out", nn.Linear(options.Width, context.ClassCount)));
}
// end-snippet
