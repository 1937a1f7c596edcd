using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.PyBridge;
using Trainer.Data;
using Trainer.Models;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Inference;

/// <summary>
/// Writes and opens model packages (<see cref="ModelPackageFiles"/>): the tested weights in TorchSharp's and PyTorch's
/// formats, the equivalent PyTorch module for the built-in kinds, and a manifest that records what is needed to use them.
/// A package is written into a temporary folder and then renamed, so a reader never sees half of one.
/// </summary>
public static class ModelPackage
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Writes the package of <paramref name="model"/> into <paramref name="directory"/> (replacing one there) and returns its manifest.
    /// </summary>
    /// <param name="directory">The package folder, usually <c>RUN_DIR/model</c>.</param>
    /// <param name="model">The trained model (any device; it is not changed).</param>
    /// <param name="recipe">The recipe it was trained with.</param>
    /// <param name="inputShape">The shape of one example.</param>
    /// <param name="task">The task (kind, outputs, class names, target scaling).</param>
    /// <param name="normalization">The input standardisation fitted on the training split, or null.</param>
    /// <param name="table">A table's encoding, or null.</param>
    /// <param name="customModel">The plugin model factory, or null for a built-in kind.</param>
    /// <param name="facts">The run's facts.</param>
    public static ModelManifest Write(string directory, nn.Module<Tensor, Tensor> model, RecipeOptions recipe, long[] inputShape, TrainingTask task,
        Standardizer? normalization, TableSchema? table, IModelFactory? customModel, PackageFacts facts)
    {
        var full = Path.GetFullPath(directory);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temporary);
        try
        {
            var weightsPath = Path.Combine(temporary, ModelPackageFiles.Weights);
            model.save(weightsPath);
            var pyTorchPath = Path.Combine(temporary, ModelPackageFiles.PyTorchWeights);
            model.save_py(pyTorchPath);
            var module = customModel is null ? PyTorchModuleWriter.Write(recipe.Model, inputShape, task.Outputs) : null;
            if (module is not null) File.WriteAllText(Path.Combine(temporary, ModelPackageFiles.PyTorchModule), module);

            var recipeJson = JsonNode.Parse(string.IsNullOrWhiteSpace(facts.RecipeJson) ? "{}" : facts.RecipeJson) as JsonObject ?? [];
            var manifest = new ModelManifest
            {
                CreatedAt = DateTimeOffset.UtcNow,
                RunId = facts.RunId,
                Recipe = recipe.Name,
                Status = facts.Status,
                Versions = CurrentVersions(),
                Architecture = new ModelArchitecture
                {
                    Kind = customModel is null ? recipe.Model.Kind.ToLowerInvariant() : null,
                    Type = customModel is null ? null : recipe.Model.Type,
                    Factory = customModel?.GetType().FullName,
                    Assembly = customModel?.GetType().Assembly.GetName().Name,
                    Parameters = model.parameters().Sum(p => p.numel()),
                },
                InputShape = inputShape,
                Task = TaskFile.ToJson(task),
                Normalization = NormalizationFile.ToJson(normalization),
                Table = table is null ? null : TableSchemaFile.ToJson(table),
                RecipeJson = recipeJson,
                Weights = new ModelWeights
                {
                    File = ModelPackageFiles.Weights, Sha256 = Sha256(weightsPath), Bytes = new FileInfo(weightsPath).Length,
                    Epoch = facts.WeightsEpoch, Description = facts.WeightsDescription,
                },
                PyTorch = new PyTorchExport { File = ModelPackageFiles.PyTorchWeights, Sha256 = Sha256(pyTorchPath), Module = module is null ? null : ModelPackageFiles.PyTorchModule },
                Metrics = facts.Metrics.ToDictionary(m => m.Key, m => double.IsFinite(m.Value) ? m.Value : (double?)null),
            };
            File.WriteAllText(Path.Combine(temporary, ModelPackageFiles.Manifest), JsonSerializer.Serialize(manifest, Json));
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(temporary, full);
            return manifest;
        }
        catch
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The package folder <paramref name="path"/> names: a package folder itself, a run directory (its <c>model/</c>), or a
    /// checkpoint inside a run directory (that run's package describes it). Throws <see cref="RecipeException"/> when there is none.
    /// </summary>
    public static string Locate(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            if (ModelPackageFiles.IsPackage(full)) return full;
            var inside = Path.Combine(full, RunFiles.Model);
            if (ModelPackageFiles.IsPackage(inside)) return inside;
            throw new RecipeException(RunFiles.IsRun(full)
                ? $"Model '{path}' is a run directory without a model package ({RunFiles.Model}/{ModelPackageFiles.Manifest}): " +
                  "the run ended before its first epoch, failed, or was written by an older Trainer."
                : $"Model '{path}' is neither a model package (a folder with {ModelPackageFiles.Manifest}) nor a run directory.");
        }
        if (File.Exists(full))
        {
            if (string.Equals(Path.GetFileName(full), ModelPackageFiles.Manifest, StringComparison.Ordinal)) return Path.GetDirectoryName(full)!;
            var run = Path.GetDirectoryName(Path.GetDirectoryName(full));
            if (run is not null && ModelPackageFiles.IsPackage(Path.Combine(run, RunFiles.Model))) return Path.Combine(run, RunFiles.Model);
            throw new RecipeException($"Model '{path}' is a file, but not one of a run with a model package: give a model package, a run directory, " +
                                      $"or a checkpoint inside a run directory that has {RunFiles.Model}/{ModelPackageFiles.Manifest}.");
        }
        throw new RecipeException($"Model '{path}' does not exist; give a model package, a run directory or a checkpoint.");
    }

    /// <summary>Reads and checks a package's manifest: every field a model needs, the format, and the weights' SHA-256.</summary>
    /// <param name="packageDirectory">The package folder.</param>
    /// <param name="verifyWeights">Whether to check the package's own weights file against the manifest's SHA-256 (false when
    /// a checkpoint's weights are used instead, or when only the manifest is wanted).</param>
    public static ModelManifest ReadManifest(string packageDirectory, bool verifyWeights = true)
    {
        var path = Path.Combine(packageDirectory, ModelPackageFiles.Manifest);
        ModelManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json) ?? throw new JsonException("it holds null");
        }
        catch (JsonException e)
        {
            throw new RecipeException($"Model manifest '{path}' is not valid JSON ({e.Message}); the package is damaged: use the run's package again or retrain.");
        }
        if (manifest.Format > ModelManifest.CurrentFormat)
            throw new RecipeException($"Model manifest '{path}' has format {manifest.Format}; this Trainer reads format {ModelManifest.CurrentFormat}. Update Trainer.");
        if (manifest.InputShape.Length == 0 || manifest.Task["kind"] is null || manifest.Task["outputs"] is null || string.IsNullOrEmpty(manifest.Weights.Sha256))
            throw new RecipeException($"Model manifest '{path}' lacks its input shape, task or weights' hash; the package is damaged: use the run's package again or retrain.");
        if (verifyWeights)
        {
            var weights = Path.Combine(packageDirectory, ModelPackageFiles.Weights);
            if (!File.Exists(weights))
                throw new RecipeException($"Model weights '{weights}' are missing; the package is incomplete: copy the whole {RunFiles.Model}/ folder.");
            var actual = Sha256(weights);
            if (!string.Equals(actual, manifest.Weights.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new RecipeException($"Model weights '{weights}' do not match the manifest's SHA-256 (the file is truncated or altered: " +
                                          $"{new FileInfo(weights).Length} bytes, {manifest.Weights.Bytes} expected); copy the package again.");
        }
        return manifest;
    }

    /// <summary>The Trainer, TorchSharp and libtorch versions of this process.</summary>
    public static ModelVersions CurrentVersions() => new()
    {
        Trainer = Version(typeof(ModelPackage).Assembly),
        TorchSharp = Version(typeof(torch).Assembly),
        LibTorch = typeof(ModelPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value ?? "",
    };

    /// <summary>A file's SHA-256 as lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Version(Assembly assembly) =>
        (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "").Split('+')[0];
}
