using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Hosting.Plugins;
using Trainer.Runs;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>The README's table recipe, run as a user runs it on a CSV file of their own: a header, a categorical column, a missing value.</summary>
public sealed class YourOwnDataTests
{
    [Test]
    public void TheTableRecipeTrainsARegressionOnACsvFileWithCategoriesAndAGap()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        File.Copy(Path.Combine(DocsFiles.Examples, "own-table.json"), folder.File("house-prices.json"));
        // price = 3·area + a district's premium + noise; one area is missing (imputed with the training rows' mean).
        var random = new Random(5);
        var csv = new StringBuilder("area,rooms,district,price\n");
        string[] districts = ["north", "south", "\"old town, centre\""];
        for (var i = 0; i < 300; i++)
        {
            var area = 40 + random.NextDouble() * 100;
            var district = i % 3;
            var price = 3 * area + 50 * district + random.NextDouble() * 5;
            var areaCell = i == 7 ? "" : area.ToString("0.0", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{areaCell},{1 + (int)(area / 30)},{districts[district]},{price:0.0}\n");
        }
        File.WriteAllText(folder.File("houses.csv"), csv.ToString());
        var run = folder.File("run");

        var (code, errors) = DocsRun.Recipe(folder.File("house-prices.json"), run, catalog: new PluginCatalog(), overrides: ["--Training:Epochs=60"]);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var summary = RunSummaryFile.Read(run);
        // Prices span about 120–520: a model that learned the area and the district misses by a few units, predicting the mean by ~90.
        Assert.That(summary.Metrics["test_mae"], Is.LessThan(20));
        Assert.That(summary.Metrics["test_r2"], Is.GreaterThan(0.9));
        var table = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunFiles.Table))).RootElement;
        Assert.That(table.GetRawText(), Does.Contain("district=old town, centre"), "the quoted category with a comma is one category");
        Assert.That(File.Exists(Path.Combine(run, RunFiles.Task)), Is.True);
    }
}
