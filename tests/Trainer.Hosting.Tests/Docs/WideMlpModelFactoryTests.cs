using Microsoft.Extensions.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Models;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Docs;

public sealed class WideMlpModelFactoryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Test]
    public void ModelTypeAndOptionsBuildTheFactoryWhoseModelHasOneHiddenLayerOfWidthUnits()
    {
        var factory = DocsRun.Catalog.CreateModelFactory(Config(("Model:Type", "WideMlp"), ("Model:Options:Width", "48")));

        using var model = factory!.Create(new ModelContext([8, 8], 10, new ModelOptions()));

        Assert.That(model.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))), Is.EqualTo(new[]
        {
            ("hidden.weight", "48x64"), ("hidden.bias", "48"), ("out.weight", "10x48"), ("out.bias", "10"),
        }));
    }

    [Test]
    public void AnInvalidWidthIsReportedWithItsPath()
    {
        var error = Assert.Throws<RecipeException>(() => DocsRun.Catalog.CreateModelFactory(Config(("Model:Type", "WideMlp"), ("Model:Options:Width", "0"))));

        Assert.That(error!.Errors, Is.EqualTo(new[] { "Model:Options:Width: The field Width must be between 1 and 65536." }));
    }
}
