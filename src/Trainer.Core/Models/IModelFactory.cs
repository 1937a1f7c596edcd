using static TorchSharp.torch;

namespace Trainer.Models;

/// <summary>
/// A model a plugin provides, chosen in a recipe with <c>"Model": { "Type": "NAME", "Options": { … } }</c>. The class
/// needs a public constructor taking nothing or one options object (bound from <c>Model:Options</c> and validated like
/// a callback's); its name comes from <see cref="ModelNameAttribute"/> or the class name without "ModelFactory"/"Factory".
/// </summary>
public interface IModelFactory
{
    /// <summary>
    /// Builds a new model on the CPU for <paramref name="context"/>; <c>Model:Init</c> then initialises its linear and
    /// convolution layers. It is called once per run, and again whenever a fresh copy is needed (gradient checks).
    /// </summary>
    nn.Module<Tensor, Tensor> Create(ModelContext context);
}
