using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>A CSV table as users have it (a header, a target of names, a categorical column) trains from a recipe; a wrong column is one line and exit 2.</summary>
public sealed class CsvTableRunTests
{
    /// <summary>Writes a table whose class follows from its columns: "animal" is cat when x &gt; 0 and the colour is red, dog when x &gt; 0 otherwise, else bird.</summary>
    private static void WriteTable(TempFolder folder)
    {
        var random = new Random(5);
        var text = new StringBuilder("x;colour;note;animal\n");
        for (var i = 0; i < 400; i++)
        {
            var x = random.NextDouble() * 2 - 1;
            var colour = random.Next(2) == 0 ? "red" : "blue";
            var animal = x > 0 ? colour == "red" ? "cat" : "dog" : "bird";
            text.Append(CultureInfo.InvariantCulture, $"{x:F4};{colour};\"free text; {i}\";{animal}\n");
        }
        File.WriteAllText(folder.File("animals.csv"), text.ToString());
        File.WriteAllText(folder.File("recipe.json"), """
            {
              "Name": "animals",
              "Data": { "Source": "csv", "Path": "animals.csv", "Target": "animal", "Features": ["x", "colour"], "Delimiter": ";" },
              "Model": { "Kind": "mlp", "Hidden": [16] },
              "Optimizer": { "Kind": "adam", "LearningRate": 0.02 },
              "Training": { "Epochs": 30, "BatchSize": 32, "Seed": 3, "Device": "cpu" }
            }
            """);
    }

    [Test]
    public void ATableWithATargetOfNamesAndACategoricalColumnTrainsAndWritesItsSchema()
    {
        using var folder = new TempFolder();
        WriteTable(folder);

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", "recipe.json", "--run-dir", "run");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        Assert.That(RunSummaryFile.Read(folder.File("run")).Metrics["test_accuracy"], Is.GreaterThan(0.9), "three classes: chance is about 1/3");
        using var table = JsonDocument.Parse(File.ReadAllText(folder.File("run/" + RunFiles.Table)));
        Assert.That(table.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "x", "colour=blue", "colour=red" }));
        Assert.That(table.RootElement.GetProperty("classes").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "bird", "cat", "dog" }));
        Assert.That(File.Exists(folder.File("run/" + RunFiles.Normalization)), Is.True);
    }

    [TestCase("--Data:Target=animals", "Data:Target 'animals' is not a column of '{0}'; its columns are: x, colour, note, animal.")]
    [TestCase("--Data:Features:1=color", "Data:Features 'color' is not a column of '{0}'; its columns are: x, colour, note, animal.")]
    public void AWrongColumnExitsTwoWithOneLine(string change, string expected)
    {
        using var folder = new TempFolder();
        WriteTable(folder);

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", "recipe.json", "--run-dir", "run", change);

        var message = string.Format(CultureInfo.InvariantCulture, expected, folder.File("animals.csv"));
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain(message).And.Not.Contain("   at "));
        Assert.That(RunSummaryFile.Read(folder.File("run")).Error, Is.EqualTo(message));
    }
}
