namespace Trainer.Runs;

/// <summary>
/// The layout of a model package (<c>RUN_DIR/model/</c>), named once: the run writes it, <c>TrainedModel.Load</c>,
/// <c>trainer predict</c>, <c>trainer evaluate</c>, <c>Model:InitFrom</c>, the report and the dashboard read it.
/// </summary>
public static class ModelPackageFiles
{
    /// <summary>The manifest (JSON): architecture, input shape, preprocessing, task, metrics, versions, the weights' SHA-256.</summary>
    public const string Manifest = "model.json";

    /// <summary>The tested weights in TorchSharp's format (<c>Module.save</c>; the same bytes as a checkpoint's model entry).</summary>
    public const string Weights = "weights.dat";

    /// <summary>The same weights as a PyTorch <c>state_dict</c> (<c>torch.load</c> reads it).</summary>
    public const string PyTorchWeights = "weights.pt";

    /// <summary>For the built-in models: the equivalent PyTorch <c>nn.Module</c>, whose <c>state_dict</c> names match.</summary>
    public const string PyTorchModule = "model.py";

    /// <summary>True when <paramref name="directory"/> holds a model manifest.</summary>
    public static bool IsPackage(string directory) => File.Exists(Path.Combine(directory, Manifest));
}
