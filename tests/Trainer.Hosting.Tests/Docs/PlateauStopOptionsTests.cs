using Microsoft.Extensions.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>How a recipe's <c>"Options"</c> reach the guide's callbacks: named, bound, validated, listed.</summary>
public sealed class PlateauStopOptionsTests
{
    private static readonly PluginCatalog Catalog = new PluginCatalog().Add<PlateauStopCallback>().Add<GradientNormCallback>();

    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] options)
    {
        var pairs = options.Select(o => new KeyValuePair<string, string?>($"Callbacks:0:Options:{o.Key}", o.Value))
            .Append(new KeyValuePair<string, string?>("Callbacks:0:Type", "PlateauStop"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(pairs).Build();
        try
        {
            Catalog.CreateCallbacks(configuration);
            return [];
        }
        catch (RecipeException e)
        {
            return e.Errors;
        }
    }

    [Test]
    public void RecipesNameTheCallbacksByTheirCallbackNameAttribute()
    {
        Assert.That(Catalog.Plugins.Select(p => (p.Name, p.OptionsType)), Is.EqualTo(new[]
        {
            ("GradientNorm", typeof(GradientNormOptions)), ("PlateauStop", typeof(PlateauStopOptions)),
        }));
    }

    [Test]
    public void TrainerPluginsListsEachOptionWithItsTypeDefaultAndDescription()
    {
        var options = Catalog.Plugins.Single(p => p.Name == "PlateauStop").Options;

        Assert.That(options, Is.EqualTo(new[]
        {
            new PluginOption("Monitor", "String", "\"val_loss\"", "Loss to watch (any epoch metric where lower is better)."),
            new PluginOption("Patience", "Int32", "3", "Epochs without improvement before stopping."),
            new PluginOption("MinDelta", "Double", "0", "Least decrease that counts as an improvement."),
            new PluginOption("WarmupEpochs", "Int32", "0", "Epochs at the start that are not checked."),
        }));
    }

    [Test]
    public void ValidOptionsBuildTheCallback()
    {
        Assert.That(Errors(("Monitor", "ewma_train_loss"), ("Patience", "10"), ("MinDelta", "0.01")), Is.Empty);
    }

    [Test]
    public void AnUnknownKeyIsRejectedNamingTheOptionsThatExist()
    {
        var errors = Errors(("Patients", "3"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("Callbacks:0:Options: ").And.Contain("'Patients'")
            .And.EndWith("(options: Monitor, Patience, MinDelta, WarmupEpochs)."));
    }

    [Test]
    public void EveryValueOutsideItsRangeIsReportedWithItsPath()
    {
        Assert.That(Errors(("Patience", "0"), ("MinDelta", "-1")), Is.EqualTo(new[]
        {
            "Callbacks:0:Options:Patience: The field Patience must be between 1 and 1000.",
            "Callbacks:0:Options:MinDelta: The field MinDelta must be between 0 and 1.7976931348623157E+308.",
        }));
    }

    [Test]
    public void TheValidateMethodRejectsAnAccuracyToMinimise()
    {
        Assert.That(Errors(("Monitor", "val_accuracy")), Is.EqualTo(new[]
        {
            "Callbacks:0:Options:Monitor: 'val_accuracy' grows as the model improves; PlateauStop watches a loss, e.g. val_loss.",
        }));
    }
}
