using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// <c>trainer predict</c> through the real program: over the Fashion-MNIST test set it reproduces the run's test accuracy
/// exactly; over a table it encodes new rows with the training rows' categories; a wrong input is one line, exit 2.
/// </summary>
public sealed class PredictCommandTests
{
    private const string FashionTest = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

    [Test]
    public void PredictionsOverTheFashionMnistTestSetReproduceTheRunsTestAccuracy()
    {
        using var folder = new TempFolder();
        var recipe = Path.Combine(Repository.Root, "recipes", "fashion-mnist-mlp.json");
        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run", "--Training:Epochs=1", "--Data:TrainLimit=3000",
            "--Callbacks:3:Options:EveryEpochs=1");
        Assert.That(code, Is.Zero, error);
        var summary = JsonDocument.Parse(File.ReadAllText(folder.File("run/summary.json"))).RootElement;
        var testAccuracy = summary.GetProperty("metrics").GetProperty("test_accuracy").GetDouble();

        var predicted = TrainerProcess.Run(folder.Path, "predict", "run", "--input", FashionTest, "--output", "predictions.csv", "--top-k", "2");

        Assert.That(predicted.ExitCode, Is.Zero, predicted.Error);
        var lines = File.ReadAllLines(folder.File("predictions.csv"));
        Assert.That(lines[0], Is.EqualTo("id,prediction,label,top1,p1,top2,p2"));
        Assert.That(lines, Has.Length.EqualTo(10_001));
        var correct = lines.Skip(1).Select(l => l.Split(',')).Count(f => f[1] == f[2]);
        Assert.That(correct / 10_000.0, Is.EqualTo(testAccuracy).Within(1e-12), "the CSV's predictions give summary.json's test accuracy");
        Assert.That(predicted.Output, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"accuracy {testAccuracy:0.0000} ({correct} of 10000 correct)")));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')).All(f => f[3] == f[1] && double.Parse(f[4], CultureInfo.InvariantCulture) >= double.Parse(f[6], CultureInfo.InvariantCulture)),
            "top1 is the prediction, its probability the largest");

        var fromCheckpoint = TrainerProcess.Run(folder.Path, "predict", Directory.GetFiles(folder.File("run/checkpoints"), "*.ckpt")[0], "--input", FashionTest);
        Assert.That(fromCheckpoint.ExitCode, Is.Zero, fromCheckpoint.Error);
        Assert.That(fromCheckpoint.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(10_001), "the CSV goes to the output stream");
        Assert.That(fromCheckpoint.Error, Does.Contain("10000 predictions"));
    }

    [Test]
    public void ATableModelEncodesNewRowsWithTheTrainingCategoriesAndNamesAMissingColumn()
    {
        using var folder = new TempFolder();
        var table = new StringBuilder("id,size,colour,kind\n");
        for (var i = 0; i < 120; i++)
            table.Append(CultureInfo.InvariantCulture, $"r{i},{i % 10}.5,{(i % 3 == 0 ? "red" : "blue")},{(i % 10 < 5 ? "small" : "large")}\n");
        File.WriteAllText(folder.File("train.csv"), table.ToString());
        File.WriteAllText(folder.File("recipe.json"), """
            {
              "Name": "sizes",
              "Data": { "Source": "csv", "Path": "train.csv", "Target": "kind", "Features": ["size", "colour"] },
              "Model": { "Kind": "mlp", "Hidden": [16] },
              "Optimizer": { "Kind": "adam", "LearningRate": 0.05 },
              "Training": { "Epochs": 30, "BatchSize": 16, "Seed": 1, "Device": "cpu" }
            }
            """);
        Assert.That(TrainerProcess.Run(folder.Path, "run", "recipe.json", "--run-dir", "run").ExitCode, Is.Zero);
        File.WriteAllText(folder.File("new.csv"), "colour,size,id\nred,1.5,a\nblue,8.5,b\n");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "predict", "run/model", "--input", "new.csv");

        Assert.That(code, Is.Zero, error);
        Assert.That(output.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray(), Has.Length.EqualTo(3));
        Assert.That(output, Does.StartWith("id,prediction,p_large,p_small"));
        Assert.That(output, Does.Contain("\na,small,").And.Contain("\nb,large,"));

        File.WriteAllText(folder.File("partial.csv"), "colour\nred\n");
        var missing = TrainerProcess.Run(folder.Path, "predict", "run", "--input", "partial.csv");
        Assert.That(missing.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(missing.Error.Trim().Split('\n'), Has.Length.EqualTo(1), missing.Error);
        Assert.That(missing.Error, Does.Contain("partial.csv").And.Contain("'size'").And.Not.Contain("   at "));
    }

    [Test]
    public void AModelThatIsNotThereOrIsAlteredIsOneLineAndExitCode2()
    {
        using var folder = new TempFolder();
        Assert.That(TrainerProcess.Run(folder.Path, "run", "--run-dir", "run", "--Training:Epochs=1").ExitCode, Is.Zero);
        var weights = folder.File($"run/{RunFiles.Model}/{ModelPackageFiles.Weights}");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(weights, bytes);

        foreach (var (arguments, expected) in new[]
                 {
                     (new[] { "predict", "run", "--input", FashionTest }, "SHA-256"),
                     (new[] { "predict", "nowhere", "--input", FashionTest }, "does not exist"),
                     (new[] { "predict", ".", "--input", FashionTest }, "neither a model package"),
                 })
        {
            var (code, _, error) = TrainerProcess.Run(folder.Path, arguments);
            Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), error);
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Contain(expected).And.Not.Contain("   at "));
        }
    }

    [Test]
    public void APackageOfAPluginModelWhoseAssemblyIsMissingNamesTheAssembly()
    {
        using var folder = new TempFolder();
        Assert.That(TrainerProcess.Run(folder.Path, "run", "--run-dir", "run", "--Training:Epochs=1").ExitCode, Is.Zero);
        var manifestPath = folder.File($"run/{RunFiles.Model}/{ModelPackageFiles.Manifest}");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["architecture"] = new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = null, ["type"] = "wide-mlp", ["factory"] = "Acme.Models.WideMlpFactory", ["assembly"] = "Acme.Models",
        };
        manifest["recipeJson"]!["Model"]!["Type"] = "wide-mlp";
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var (code, _, error) = TrainerProcess.Run(folder.Path, "predict", "run", "--input", FashionTest);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain("'wide-mlp'").And.Contain("Acme.Models.dll").And.Contain("plugins folder").And.Not.Contain("   at "));
    }
}
