using TorchSharp;

namespace Trainer.Models.Transfer;

/// <summary>
/// What <c>Model:Freeze</c> froze in a model: parameters that no longer require gradients (and are left out of the
/// optimizer), and batch-normalisation layers kept in evaluation mode while the rest trains, so their running statistics
/// stay fixed. Apply training mode with <see cref="EnterTrainingMode"/> instead of <c>model.train()</c>.
/// </summary>
public sealed class FrozenTensors
{
    private readonly IReadOnlyList<torch.nn.Module> batchNorms;

    internal FrozenTensors(IReadOnlyList<string> parameters, IReadOnlyList<string> buffers, IReadOnlyList<(string Name, torch.nn.Module Module)> batchNorms)
    {
        Parameters = parameters;
        Buffers = buffers;
        BatchNormLayers = batchNorms.Select(b => b.Name).ToList();
        this.batchNorms = batchNorms.Select(b => b.Module).ToList();
    }

    /// <summary>Nothing frozen.</summary>
    public static FrozenTensors None { get; } = new([], [], []);

    /// <summary>The frozen parameters' names (<c>requires_grad</c> false).</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The frozen buffers' names (the running statistics of the frozen batch-norm layers among them).</summary>
    public IReadOnlyList<string> Buffers { get; }

    /// <summary>The names of the batch-normalisation layers held in evaluation mode.</summary>
    public IReadOnlyList<string> BatchNormLayers { get; }

    /// <summary>True when nothing is frozen.</summary>
    public bool IsEmpty => Parameters.Count == 0 && Buffers.Count == 0;

    /// <summary>Puts <paramref name="model"/> in training mode, except the frozen batch-norm layers, which stay in evaluation mode.</summary>
    public void EnterTrainingMode(torch.nn.Module model)
    {
        model.train();
        foreach (var layer in batchNorms) layer.eval();
    }

    /// <summary>One line for the run's log.</summary>
    public string Summary(int totalParameters) =>
        $"{Parameters.Count} of {totalParameters} parameters frozen ({TensorNamePattern.Brief(Parameters)})" +
        (BatchNormLayers.Count > 0 ? $"; batch-norm layers with fixed statistics: {string.Join(", ", BatchNormLayers)}" : "");
}
