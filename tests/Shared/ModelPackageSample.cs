using Trainer.Runs;

namespace Trainer.Tests.Shared;

/// <summary>
/// A hand-written model package (the contract of RUN_DIR/model/: model.json as the manifest describes it, placeholder
/// weight files and model.py), for tests of what shows a package without training one.
/// </summary>
public static class ModelPackageSample
{
    /// <summary>The manifest's weights SHA-256.</summary>
    public const string Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /// <summary>A manifest following the package contract: an MLP on 1×28×28 images with 3 classes, weights of epoch 7.</summary>
    public const string Manifest = """
        {
          "format": 1,
          "createdAt": "2026-12-03T12:00:00+00:00",
          "runId": "run-1", "recipe": "fashion-mnist-mlp", "status": "completed",
          "versions": { "trainer": "1.0.0", "torchSharp": "0.107.0", "libTorch": "2.10.0" },
          "architecture": { "kind": "mlp", "type": null, "factory": null, "assembly": null, "parameters": 101770, "model": { "Kind": "mlp", "Hidden": [128] } },
          "inputShape": [1, 28, 28],
          "task": { "kind": "multiclass", "loss": "cross_entropy", "metrics": ["accuracy"], "outputs": 3, "threshold": null,
                    "classNames": ["T-shirt", "Trouser", "<Bag>"], "targetScaling": null },
          "normalization": { "mode": "global", "shape": [1], "mean": [0.286], "std": [0.353] },
          "table": null,
          "data": { "source": "idx", "options": { "Path": "data/fashion" } },
          "weights": { "file": "weights.dat", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "bytes": 12345, "epoch": 7, "description": "best epoch 7 (restored)" },
          "pytorch": { "file": "weights.pt", "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", "module": "model.py" },
          "metrics": { "test_loss": 0.33, "test_accuracy": 0.88, "val_loss": 0.31, "val_accuracy": 0.89 }
        }
        """;

    /// <summary>Writes the package into <paramref name="runDirectory"/>/model (weights.pt only when <paramref name="pytorch"/>); returns the folder.</summary>
    public static string Write(string runDirectory, string manifest = Manifest, bool pytorch = true)
    {
        var folder = Path.Combine(runDirectory, RunFiles.Model);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelPackageFiles.Manifest), manifest);
        File.WriteAllBytes(Path.Combine(folder, ModelPackageFiles.Weights), [1, 2, 3, 4, 5, 6, 7, 8]);
        if (pytorch) File.WriteAllBytes(Path.Combine(folder, ModelPackageFiles.PyTorchWeights), [0x50, 0x4B, 3, 4]);
        File.WriteAllText(Path.Combine(folder, ModelPackageFiles.PyTorchModule), "import torch\n\nclass Model(torch.nn.Module):\n    pass\n");
        return folder;
    }
}
