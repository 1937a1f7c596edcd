using TorchSharp;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Tests.Models.Transfer;

/// <summary>Source models and files for the Model:InitFrom and Model:Freeze tests: a digits MLP (fc1 [32, 64], bn1, out).</summary>
internal static class TransferModels
{
    /// <summary>The digits MLP recipe with one batch-normalised hidden layer of 32 and <paramref name="classes"/> as is (10).</summary>
    public static RecipeOptions Recipe(string? initFrom = null, string[]? skip = null, string[]? freeze = null, int epochs = 2, int seed = 7)
    {
        var recipe = TestTraining.Digits(epochs: epochs, batchSize: 128, seed: seed);
        recipe.Model.InitFrom = initFrom;
        recipe.Model.InitFromSkip = skip;
        recipe.Model.Freeze = freeze;
        return recipe;
    }

    /// <summary>
    /// A digits MLP with <paramref name="classes"/> outputs whose every tensor holds values no initialisation gives
    /// (uniform in [1, 2), a batch count of 5), so a copied tensor is recognisable.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Source(int classes = 10)
    {
        var model = Trainer.Models.ModelFactory.Create(Recipe().Model, [64], classes);
        using var noGrad = no_grad();
        foreach (var (_, tensor) in model.state_dict())
        {
            if (tensor.dtype == ScalarType.Int64) tensor.fill_(5);
            else tensor.copy_(rand_like(tensor) + 1);
        }
        return model;
    }

    /// <summary>Writes <paramref name="model"/> as a model package in <paramref name="folder"/>: weights.dat and a minimal model.json.</summary>
    public static string WritePackage(nn.Module model, string folder, bool withChecksum = true)
    {
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, ModelPackageFiles.Weights);
        model.save(weights);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(weights)));
        File.WriteAllText(Path.Combine(folder, ModelPackageFiles.Manifest),
            withChecksum ? $$"""{ "format": 1, "weights": { "file": "weights.dat", "sha256": "{{sha}}" } }""" : """{ "format": 1 }""");
        return folder;
    }

    /// <summary>Copies of a model's state (detached CPU clones), by name.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().clone());

    /// <summary>True when the two tensors have the same shape and bit-identical values.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.cpu().bytes.SequenceEqual(b.cpu().bytes);
}
