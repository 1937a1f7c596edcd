using Microsoft.Extensions.Configuration;
using Trainer.Data;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Plugins;

public sealed class DataSourceCatalogTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Test]
    public void DataSourcesAreNamedByTheirAttributeOrByTheClassNameLessDataSourceOrSource()
    {
        var catalog = new PluginCatalog().AddDataSource(typeof(TidesDataSource)).AddDataSource(typeof(LinesSource)).AddDataSource(typeof(Misnamed));

        Assert.That(catalog.DataSources.Select(d => (d.Name, d.OptionsType)), Is.EqualTo(new[]
        {
            ("Lines", (Type?)null), ("Tides", typeof(TidesOptions)), ("misnamed-on-purpose", null),
        }));
        Assert.That(catalog.DataSources.Single(d => d.Name == "Tides").Options.Select(o => (o.Name, o.Default)), Is.EqualTo(new[] { ("Days", "7") }));
        Assert.That(catalog.DataSourceNames, Is.EqualTo(new[] { "digits", "idx", "csv", "fashion-mnist", "Lines", "Tides", "misnamed-on-purpose" }));
    }

    [Test]
    public void TheBuiltInSourcesAreNotDiscoveredAsPlugins()
    {
        var catalog = PluginCatalog.FromAssemblies([typeof(IDataSource).Assembly]);

        Assert.That(catalog.DataSources, Is.Empty);
        Assert.Throws<ArgumentException>(() => new PluginCatalog().AddDataSource(typeof(CsvDataSource)));
    }

    [Test]
    public void ASourceWithoutOptionsIsBuiltAndRefusesOptions()
    {
        var catalog = new PluginCatalog().AddDataSource(typeof(LinesSource));

        Assert.That(catalog.CreateDataSource(Config(("Data:Source", "lines"))), Is.InstanceOf<LinesSource>());
        var error = Assert.Throws<RecipeException>(() => catalog.CreateDataSource(Config(("Data:Source", "lines"), ("Data:Options:Days", "3"))));
        Assert.That(error!.Errors, Is.EqualTo(new[] { "Data:Options: Lines takes no options." }));
    }

    [Test]
    public void ASourceWhoseNamePropertyIsNotItsRecipeNameIsRefused()
    {
        var catalog = new PluginCatalog().AddDataSource(typeof(Misnamed));

        var error = Assert.Throws<RecipeException>(() => catalog.CreateDataSource(Config(("Data:Source", "misnamed-on-purpose"))));

        Assert.That(error!.Errors, Is.EqualTo(new[]
        {
            "Data:Source 'misnamed-on-purpose': Trainer.Hosting.Tests.Plugins.DataSourceCatalogTests+Misnamed.Name is 'other', not its recipe name " +
            "'misnamed-on-purpose'; return the [DataSourceName] name from Name.",
        }));
    }

    [Test]
    public void UnknownKeysOfTheOptionsAreNamed()
    {
        var catalog = new PluginCatalog().AddDataSource(typeof(TidesDataSource));

        var error = Assert.Throws<RecipeException>(() => catalog.CreateDataSource(Config(("Data:Source", "tides"), ("Data:Options:Dayz", "3"))));

        Assert.That(error!.Errors, Has.Count.EqualTo(1));
        Assert.That(error.Errors[0], Does.StartWith("Data:Options: ").And.Contain("'Dayz'").And.EndWith("(options: Days)."));
    }

    public sealed class TidesOptions
    {
        public int Days { get; set; } = 7;
    }

    public sealed class TidesDataSource(TidesOptions options) : IDataSource
    {
        public string Name => "tides";

        public int Days => options.Days;

        public RawData Load(DataOptions data) => throw new NotSupportedException("not loaded by these tests");
    }

    public sealed class LinesSource : IDataSource
    {
        public string Name => "Lines";

        public RawData Load(DataOptions data) => throw new NotSupportedException("not loaded by these tests");
    }

    [DataSourceName("misnamed-on-purpose")]
    public sealed class Misnamed : IDataSource
    {
        public string Name => "other";

        public RawData Load(DataOptions data) => throw new NotSupportedException("not loaded by these tests");
    }
}
