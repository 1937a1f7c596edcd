using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Trainer.Data;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;
using Trainer.Runs;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>
/// The guide's data source: its recipe, run as a user runs it (this test assembly stands in for MyPlugins.dll, loaded in
/// its own load context from the recipe's <c>Plugins</c>), trains a classifier on the spirals; mistakes are one line each.
/// </summary>
public sealed class DataSourceGuideTests
{
    private static string Recipe => Path.Combine(DocsFiles.Examples, "spirals-run.json");

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Test]
    public void TheRecipeLoadsThePluginsDataSourceAndTrainsOnIt()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var run = folder.File("run");

        var (code, errors) = DocsRun.Recipe(Recipe, run, catalog: new PluginCatalog(), overrides:
            [$"--Plugins:0={typeof(DataSourceGuideTests).Assembly.Location}", "--Training:Epochs=30"]);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var summary = RunSummaryFile.Read(run);
        Assert.That(summary.Metrics["test_accuracy"], Is.GreaterThan(0.85), "three arms: chance is 1/3");
        var data = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunFiles.Recipe))).RootElement.GetProperty("Data");
        Assert.That(data.GetProperty("Source").GetString(), Is.EqualTo("spirals"));
        Assert.That(data.GetProperty("Options").GetProperty("Arms").GetInt32(), Is.EqualTo(3), "the source's options are part of the run's recipe");
    }

    [Test]
    public void TheSourceGivesEveryArmItsPointsAndTheSameDataForTheSameSeed()
    {
        var source = DocsRun.Catalog.CreateDataSource(Config(("Data:Source", "Spirals"), ("Data:Options:PointsPerArm", "20"), ("Data:Options:Arms", "4")));

        var first = source!.Load(new DataOptions());
        var again = source.Load(new DataOptions());

        Assert.That((first.Train.Count, first.Train.ClassCount, first.Test), Is.EqualTo((80L, 4, (Dataset?)null)));
        Assert.That(first.Train.Labels.bincount(null).data<long>().ToArray(), Is.EqualTo(new long[] { 20, 20, 20, 20 }));
        Assert.That(first.Train.Features.allclose(again.Train.Features, rtol: 0, atol: 0), Is.True);
        first.Train.Dispose();
        again.Train.Dispose();
    }

    [Test]
    public void AnInvalidOptionIsOneLineWithItsPath()
    {
        var error = Assert.Throws<RecipeException>(() => DocsRun.Catalog.CreateDataSource(Config(("Data:Source", "spirals"), ("Data:Options:Arms", "1"))));

        Assert.That(error!.Errors, Is.EqualTo(new[] { "Data:Options:Arms: The field Arms must be between 2 and 10." }));
    }

    [Test]
    public void AnUnknownSourceIsOneLineListingEverySource()
    {
        var error = Assert.Throws<RecipeException>(() => DocsRun.Catalog.CreateDataSource(Config(("Data:Source", "spiral"))));

        Assert.That(error!.Errors, Is.EqualTo(new[] { "Data:Source 'spiral' is not supported; use one of: digits, idx, csv, fashion-mnist, spirals." }));
    }

    [Test]
    public void ABuiltInSourceIsNotAPluginAndTakesNoDataOptions()
    {
        Assert.That(DocsRun.Catalog.CreateDataSource(Config(("Data:Source", "CSV"))), Is.Null);
        var error = Assert.Throws<RecipeException>(() => DocsRun.Catalog.CreateDataSource(Config(("Data:Source", "digits"), ("Data:Options:Arms", "3"))));

        Assert.That(error!.Errors, Is.EqualTo(new[]
        {
            "Data:Options belongs to a plugin data source; the built-in source 'digits' takes its settings in Data. Remove Data:Options.",
        }));
    }
}
