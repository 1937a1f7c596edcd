using System.Text.Json.Nodes;

namespace Trainer.Inference;

/// <summary>
/// A model package's <c>model.json</c>: everything needed to use the weights without the recipe — the architecture,
/// the input shape, the preprocessing fitted on the training split, the task, the metrics, the versions and the
/// weights' SHA-256. Written by <see cref="ModelPackage.Write"/>, read by <see cref="TrainedModel.Load"/>.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The manifest format this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The manifest's format version.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>When the package was written.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The run that trained the weights.</summary>
    public string RunId { get; init; } = "";

    /// <summary>The recipe's name.</summary>
    public string Recipe { get; init; } = "";

    /// <summary>How the run ended: completed, stopped-early, stopped or interrupted.</summary>
    public string Status { get; init; } = "";

    /// <summary>The Trainer, TorchSharp and libtorch versions the weights were trained with.</summary>
    public ModelVersions Versions { get; init; } = new();

    /// <summary>How to build the network the weights belong to.</summary>
    public ModelArchitecture Architecture { get; init; } = new();

    /// <summary>The shape of one example as the model takes it (e.g. [1, 28, 28] or [10]).</summary>
    public long[] InputShape { get; init; } = [];

    /// <summary>The task, as <c>task.json</c> holds it: kind, loss, metrics, outputs, threshold, class names, target scaling.</summary>
    public JsonObject Task { get; init; } = [];

    /// <summary>The input standardisation, as <c>normalization.json</c> holds it (mode, shape, mean, std).</summary>
    public JsonObject Normalization { get; init; } = [];

    /// <summary>A table's encoding, as <c>table.json</c> holds it; null for data that is not a table.</summary>
    public JsonNode? Table { get; init; }

    /// <summary>The resolved recipe the run trained with (its <c>Data</c>, <c>Model</c> and <c>Task</c> sections are used).</summary>
    public JsonObject RecipeJson { get; init; } = [];

    /// <summary>The weights in TorchSharp's format: file, SHA-256, size, epoch and which weights they are.</summary>
    public ModelWeights Weights { get; init; } = new();

    /// <summary>The same weights as a PyTorch state dict, and the module that loads them; null when not written.</summary>
    public PyTorchExport? PyTorch { get; init; }

    /// <summary>The run's final metrics (test_*, val_*, …) by name; NaN or infinite values are null.</summary>
    public Dictionary<string, double?> Metrics { get; init; } = [];
}
