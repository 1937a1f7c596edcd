using System.Collections;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Checkpoints;
using Trainer.Recipes;
using Trainer.Runs;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Trainer.Models.Transfer;

/// <summary>
/// Finds and reads the weights <c>Model:InitFrom</c> names, as named CPU tensors: a model package folder (its
/// <c>weights.dat</c>, checked against the manifest's SHA-256), a run directory (its <c>model/</c> package), a checkpoint
/// (<c>.ckpt</c>), a PyTorch <c>state_dict</c> (<c>.pt</c>, <c>.pth</c>, or any other name when the file is a zip archive, as
/// <c>pytorch_model.bin</c> is), a safetensors file (<c>.safetensors</c>) or TorchSharp weights (<c>Module.save</c>:
/// <c>.dat</c>, <c>.bin</c> or any other name).
/// </summary>
internal static class WeightsFile
{
    private const string Field = "Model:InitFrom";

    /// <summary>What was read: the file the tensors came from, its format in words, and the tensors (the caller disposes them).</summary>
    internal sealed record Contents(string File, string Format, Dictionary<string, Tensor> Tensors);

    /// <summary>Reads the weights at <paramref name="path"/> (absolute).</summary>
    /// <exception cref="RecipeException">Nothing is there, or it is not weights this reads; the message names the field and the file.</exception>
    public static Contents Read(string path)
    {
        if (Directory.Exists(path)) return ReadPackage(PackageFolder(path));
        if (!File.Exists(path))
            throw new RecipeException($"{Field} '{path}' does not exist; give a model package folder, a run directory, a checkpoint (.ckpt), " +
                                      "TorchSharp weights (.dat, .bin) or a PyTorch state_dict (.pt, .pth).");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            CheckpointFile.Extension => ReadCheckpoint(path),
            ".pt" or ".pth" => new Contents(path, "a PyTorch state_dict", ReadPyTorch(path)),
            _ when IsZip(path) => new Contents(path, "a PyTorch state_dict", ReadPyTorch(path)), // e.g. a pytorch_model.bin
            ".safetensors" => new Contents(path, "safetensors", Guarded(path, "safetensors", () => TorchSharp.PyBridge.Safetensors.LoadStateDict(path))),
            _ => new Contents(path, "TorchSharp weights", ReadTorchSharp(path)),
        };
    }

    /// <summary>True when the file starts as a zip archive does, as PyTorch's <c>torch.save</c> files do (TorchSharp's format never does).</summary>
    private static bool IsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head is [0x50, 0x4b, 0x03, 0x04];
    }

    /// <summary>The package folder of <paramref name="directory"/>: itself when it holds a manifest, else its <c>model/</c> folder (a run directory).</summary>
    private static string PackageFolder(string directory)
    {
        if (ModelPackageFiles.IsPackage(directory)) return directory;
        var inRun = Path.Combine(directory, RunFiles.Model);
        if (ModelPackageFiles.IsPackage(inRun)) return inRun;
        throw new RecipeException($"{Field} '{directory}' is a folder without a model package: it has no {ModelPackageFiles.Manifest}, and no " +
                                  $"{RunFiles.Model}/{ModelPackageFiles.Manifest} as a finished run has; give a model package, a run directory or a weights file.");
    }

    private static Contents ReadPackage(string folder)
    {
        var manifestPath = Path.Combine(folder, ModelPackageFiles.Manifest);
        var weights = Path.Combine(folder, ModelPackageFiles.Weights);
        if (!File.Exists(weights))
            throw new RecipeException($"{Field}: the model package '{folder}' has no {ModelPackageFiles.Weights}; it is incomplete.");
        string? expected;
        try
        {
            expected = JsonNode.Parse(File.ReadAllBytes(manifestPath))?["weights"]?["sha256"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new RecipeException($"{Field}: the model package's manifest '{manifestPath}' is not valid ({e.Message}).");
        }
        if (expected is not null)
        {
            using var stream = File.OpenRead(weights);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new RecipeException($"{Field}: '{weights}' does not match the SHA-256 in {ModelPackageFiles.Manifest}; the package was altered or is truncated.");
        }
        return new Contents(weights, "a model package", ReadTorchSharp(weights));
    }

    private static Contents ReadCheckpoint(string path)
    {
        TrainingCheckpoint checkpoint;
        try
        {
            checkpoint = CheckpointFile.Read(path);
        }
        catch (RecipeException e)
        {
            throw new RecipeException($"{Field}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new RecipeException($"{Field}: checkpoint '{path}' cannot be read ({e.Message}).", e);
        }
        using var stream = new MemoryStream(checkpoint.Model.ToArray(), writable: false);
        return new Contents(path, "a checkpoint", Guarded(path, "a checkpoint's model", () => TorchSharpWeights.Read(stream)));
    }

    private static Dictionary<string, Tensor> ReadTorchSharp(string path) =>
        Guarded(path, "TorchSharp weights (Module.save)", () =>
        {
            using var stream = File.OpenRead(path);
            return TorchSharpWeights.Read(stream);
        });

    private static Dictionary<string, Tensor> ReadPyTorch(string path) =>
        Guarded(path, "a PyTorch state_dict (torch.save(model.state_dict(), ...))", () =>
        {
            Hashtable table;
            using (var stream = File.OpenRead(path)) table = PyTorchUnpickler.UnpickleStateDict(stream);
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is string name && entry.Value is Tensor tensor) tensors[name] = tensor;
                else
                {
                    foreach (var value in table.Values) (value as IDisposable)?.Dispose();
                    throw new InvalidDataException($"its entry '{entry.Key}' is {entry.Value?.GetType().Name ?? "null"}, not a tensor: save model.state_dict() itself");
                }
            }
            return tensors;
        });

    /// <summary>Runs a reader, turning what a damaged or foreign file makes it throw into one sentence naming the file.</summary>
    private static Dictionary<string, Tensor> Guarded(string path, string format, Func<Dictionary<string, Tensor>> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not RecipeException and not OutOfMemoryException and not OperationCanceledException)
        {
            throw new RecipeException($"{Field} '{path}' cannot be read as {format}: {FirstLine(e.Message)}.", e);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim().TrimEnd('.');
}
