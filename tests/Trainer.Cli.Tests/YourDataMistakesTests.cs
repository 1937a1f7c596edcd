using System.Globalization;
using System.Text;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// A new user's mistakes with their own data, through the real program: a corrupt image, a category the training rows never
/// show, a target that does not fit the task. Each is one line naming the file, row or column and the fix, exit code 2,
/// and the run directory's summary says the same.
/// </summary>
public sealed class YourDataMistakesTests
{
    private static void AssertOneLine(TempFolder folder, (int Code, string Output, string Error) result, params string[] parts)
    {
        var (code, _, error) = result;
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Not.Contain("   at "));
        foreach (var part in parts) Assert.That(error, Does.Contain(part));
        Assert.That(RunSummaryFile.Read(folder.File("run")).Error, Does.Contain(parts[0]), "the run directory's summary says why");
    }

    private static void WriteTable(TempFolder folder, string name, IEnumerable<string> colours)
    {
        var text = new StringBuilder("size,colour,kind\n");
        var i = 0;
        foreach (var colour in colours)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i % 7}.5,{colour},{(i % 2 == 0 ? "small" : "large")}\n");
            i++;
        }
        File.WriteAllText(folder.File(name), text.ToString());
    }

    private static void WriteRecipe(TempFolder folder, string data, string task = "classification") =>
        File.WriteAllText(folder.File("recipe.json"), $$"""
            {
              "Name": "mistake",
              "Data": {{data}},
              "Task": { "Kind": "{{task}}" },
              "Model": { "Kind": "mlp", "Hidden": [8] },
              "Training": { "Epochs": 2, "BatchSize": 16, "Seed": 1, "Device": "cpu" }
            }
            """);

    [Test]
    public void ACategoryOnlyInTheTestFileIsOneLineNamingItsRowAndColumn()
    {
        using var folder = new TempFolder();
        WriteTable(folder, "train.csv", Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? "red" : "blue"));
        WriteTable(folder, "test.csv", ["red", "blue", "green"]);
        WriteRecipe(folder, """{ "Source": "csv", "Path": "train.csv", "TestPath": "test.csv", "Target": "kind" }""");

        var result = TrainerProcess.Run(folder.Path, "run", "recipe.json", "--run-dir", "run");

        AssertOneLine(folder, result, "green", "colour", "test.csv");
    }

    [Test]
    public void ATargetOfNamesForARegressionIsOneLineSayingWhichKindFits()
    {
        using var folder = new TempFolder();
        WriteTable(folder, "train.csv", Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? "red" : "blue"));
        WriteRecipe(folder, """{ "Source": "csv", "Path": "train.csv", "Target": "kind" }""", task: "regression");

        var result = TrainerProcess.Run(folder.Path, "run", "recipe.json", "--run-dir", "run");

        AssertOneLine(folder, result, "Task:Kind 'regression' needs a numeric target; Data:Source 'csv' gives classes (large, small)", "Use Task:Kind 'classification'");
    }

    [Test]
    public void ACorruptImageIsOneLineNamingTheFile()
    {
        using var folder = new TempFolder();
        foreach (var (name, shade) in new[] { ("dark", (byte)20), ("light", (byte)230) })
        {
            Directory.CreateDirectory(folder.File($"photos/{name}"));
            for (var i = 0; i < 6; i++) File.WriteAllBytes(folder.File($"photos/{name}/{i}.bmp"), Bitmap(8, 8, shade));
        }
        var broken = folder.File("photos/light/broken.png");
        File.WriteAllBytes(broken, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5]);
        WriteRecipe(folder, """{ "Source": "image-folder", "Path": "photos", "Channels": 1, "ValidationFraction": 0.2 }""");

        var result = TrainerProcess.Run(folder.Path, "run", "recipe.json", "--run-dir", "run");

        AssertOneLine(folder, result, broken);
    }

    /// <summary>A 24-bit uncompressed BMP of one grey.</summary>
    private static byte[] Bitmap(int width, int height, byte shade)
    {
        var row = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + row * height];
        void Int(int at, int value) => BitConverter.GetBytes(value).CopyTo(bytes, at);
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        Int(2, bytes.Length);
        Int(10, 54);
        Int(14, 40);
        Int(18, width);
        Int(22, height);
        bytes[26] = 1;
        bytes[28] = 24;
        Int(34, row * height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width * 3; x++) bytes[54 + y * row + x] = shade;
        return bytes;
    }
}
