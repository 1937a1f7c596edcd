using Microsoft.Extensions.Configuration;
using Trainer.Hosting.Configuration;
using Trainer.Search;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

public sealed class SearchSpaceKeysTests
{
    private static readonly IConfiguration Recipe = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Callbacks:0:Type"] = "StopAfter", ["Callbacks:0:Options:Epoch"] = "2", ["Callbacks:1:Type"] = "Noop",
    }).Build();

    private static IReadOnlyList<string> Problems(params string[] keys) => SearchSpaceKeys.Problems(keys, Recipe, Runner.Catalog);

    [Test]
    public void RecipeSettingsListItemsAndCallbackOptionsAreSearchable() =>
        Assert.That(Problems("Optimizer:LearningRate", "optimizer:beta1", "Model:Hidden:1", "Training:BatchSize", "Data:Augment:Shift",
            "Callbacks:0:Options:Epoch", "Callbacks:0:Options:reason"), Is.Empty);

    [Test]
    public void AMisspeltKeyNamesTheSettingsThatExist() =>
        Assert.That(Problems("Optimizer:LerningRate"), Is.EqualTo(new[]
        {
            "Search:Space key 'Optimizer:LerningRate' is not a recipe setting; the settings of Optimizer are: Kind, LearningRate, Momentum, Beta1, " +
            "Beta2, Rho, Epsilon, Implementation, WeightDecay.",
        }));

    [Test]
    public void SectionsListsAndSingleValuesAreNotDimensions() =>
        Assert.That(Problems("Optimizer", "Model:Hidden", "Training:Seed:0", "Lerning"), Is.EqualTo(new[]
        {
            "Search:Space key 'Optimizer' is a section; search one of its settings: Kind, LearningRate, Momentum, Beta1, Beta2, Rho, Epsilon, Implementation, WeightDecay.",
            "Search:Space key 'Model:Hidden' is a list; search one item per dimension, e.g. Model:Hidden:0.",
            "Search:Space key 'Training:Seed:0' goes into Training:Seed, which is a single value.",
            "Search:Space key 'Lerning' is not a recipe setting; the sections are: Name, Data, Task, Model, Optimizer, Training, Callbacks.",
        }));

    [Test]
    public void CallbackOptionsAreCheckedAgainstTheCallbackAtThatPosition() =>
        Assert.That(Problems("Callbacks:0:Options:Epochs", "Callbacks:1:Options:Anything", "Callbacks:2:Options:Epoch", "Callbacks:0:Epoch", "Serilog:MinimumLevel"),
            Is.EqualTo(new[]
            {
                "Search:Space key 'Callbacks:0:Options:Epochs' is not an option of StopAfter; the options of StopAfter are: Epoch, Reason.",
                "Search:Space key 'Callbacks:1:Options:Anything' names an option, and Noop takes none.",
                "Search:Space key 'Callbacks:2:Options:Epoch' names Callbacks:2, but the recipe has 2 callbacks.",
                "Search:Space key 'Callbacks:0:Epoch' is not how a callback's option is named: Callbacks:N:Options:Name, N its position in the recipe's Callbacks list.",
                "Search:Space key 'Serilog:MinimumLevel' is not something a trial trains with (Serilog); search recipe settings or callback options.",
            }));

    [Test]
    public void ASearchWithAMisspeltKeyStopsBeforeTheFirstTrialWritingNothing()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("search.json", TestRecipes.Digits(epochs: 1, extra: """
            "Search": { "Study": "t", "Trials": 3, "Space": { "Optimizer:LerningRate": { "Distribution": "LogUniform", "Min": 1e-4, "Max": 1e-1 } } }
            """));
        var error = new StringWriter();

        var code = new SearchRunner(Runner.Catalog, new StringWriter(), error).RunAsync(new SearchRequest
        {
            Recipe = RecipeSource.FromFile(recipe), Storage = $"sqlite:{folder.File("studies.db")}", OutDirectory = folder.File("study"),
        }).GetAwaiter().GetResult();

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error.ToString().Trim(), Does.StartWith("error: Search:Space key 'Optimizer:LerningRate' is not a recipe setting;"));
        Assert.That(error.ToString().Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(File.Exists(folder.File("studies.db")), Is.False, "no study store");
        Assert.That(Directory.Exists(folder.File("study")), Is.False, "no study folder");
    }
}
