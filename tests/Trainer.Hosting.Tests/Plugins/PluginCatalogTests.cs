using Microsoft.Extensions.Configuration;
using Trainer.Callbacks;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Tests.Support;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Plugins;

public sealed class PluginCatalogTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Test]
    public void BuildsCallbacksInRecipeOrderWithBoundOptions()
    {
        var callbacks = Runner.Catalog.CreateCallbacks(Config(
            ("Callbacks:0:Type", "Noop"), ("Callbacks:1:Type", "stopafter"), ("Callbacks:1:Options:Epoch", "4")));

        Assert.That(callbacks.Select(c => c.GetType()), Is.EqualTo(new[] { typeof(NothingCallback), typeof(StopAfterCallback) }));
    }

    [Test]
    public void DiscoversCallbacksInAnAssemblyByAttributeOrClassName()
    {
        var catalog = PluginCatalog.FromAssemblies([typeof(StopAfterCallback).Assembly]);
        var support = catalog.Plugins.Where(p => p.CallbackType.Namespace == typeof(StopAfterCallback).Namespace); // not the guide's examples in Docs/

        Assert.That(support.Select(p => p.Name), Is.EqualTo(new[] { "Noop", "ScriptedMetric", "StopAfter" }));
        Assert.That(support.Last().OptionsType, Is.EqualTo(typeof(StopAfterOptions)));
    }

    [Test]
    public void ListsOptionsWithDefaultsAndDescriptions()
    {
        var options = Runner.Catalog.Plugins.Single(p => p.Name == "StopAfter").Options;

        Assert.That(options, Is.EqualTo(new[]
        {
            new PluginOption("Epoch", "Int32", "2", "Epoch after which to stop."),
            new PluginOption("Reason", "String", "\"enough\"", null),
        }));
    }

    [Test]
    public void InvalidOptionsAreReportedWithTheirPaths()
    {
        var error = Assert.Throws<RecipeException>(() => Runner.Catalog.CreateCallbacks(Config(
            ("Callbacks:0:Type", "StopAfter"), ("Callbacks:0:Options:Epoch", "0"),
            ("Callbacks:1:Type", "StopAfter"), ("Callbacks:1:Options:Epochs", "3"),
            ("Callbacks:2:Type", "Noop"), ("Callbacks:2:Options:X", "1"),
            ("Callbacks:3:Options:Epoch", "1"))));

        Assert.That(error!.Errors, Has.Count.EqualTo(4));
        Assert.That(error.Errors[0], Is.EqualTo("Callbacks:0:Options:Epoch: The field Epoch must be between 1 and 1000."));
        Assert.That(error.Errors[1], Does.StartWith("Callbacks:1:Options: ").And.Contain("'Epochs'").And.EndWith("(options: Epoch, Reason)."));
        Assert.That(error.Errors[2], Is.EqualTo("Callbacks:2:Options: Noop takes no options."));
        Assert.That(error.Errors[3], Is.EqualTo("Callbacks:3:Type is required: name the plugin (run 'trainer plugins' to list them)."));
    }

    [Test]
    public void AnEmptyCatalogSaysSo()
    {
        var error = Assert.Throws<RecipeException>(() => new PluginCatalog().CreateCallbacks(Config(("Callbacks:0:Type", "EarlyStopping"))));

        Assert.That(error!.Message, Is.EqualTo("Callbacks:0:Type 'EarlyStopping' is not a known callback; no callback plugins are installed."));
    }

    [Test]
    public void TwoPluginsWithOneNameAreAnErrorNamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PluginCatalog().Add<NothingCallback>().Add<OtherNoop>());

        Assert.That(error!.Message, Does.StartWith("Two plugins are named 'Noop': Trainer.Hosting.Tests.Support.NothingCallback (Trainer.Hosting.Tests)"));
    }

    [CallbackName("Noop")]
    private sealed class OtherNoop : TrainingCallback;
}
