using Trainer.Data;
using Trainer.Models;
using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Inference;

/// <summary>How <see cref="TrainedModel.Load"/> builds the model: where it runs, and the plugins the package needs.</summary>
public sealed record TrainedModelOptions
{
    /// <summary>The device to predict on. Default: the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>The plugin model factory the package was trained with (its manifest names it); needed only for plugin models.</summary>
    public IModelFactory? ModelFactory { get; init; }

    /// <summary>The data sources to read inputs with; default: the built-in ones. A package trained on a plugin source needs it here.</summary>
    public IEnumerable<IDataSource>? DataSources { get; init; }

    /// <summary>The losses and metrics (plugins added) for <see cref="TrainedModel.Evaluate"/>; default: the built-in ones.</summary>
    public TaskCatalog? Tasks { get; init; }
}
