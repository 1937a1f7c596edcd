using Trainer.Hosting.Configuration;

namespace Trainer.Hosting.Tests.Configuration;

public sealed class RecipeComparisonTests
{
    [Test]
    public void ASettingAddedSinceTheCheckpointIsNoDifferenceWhileItHasItsDefault()
    {
        const string before = """{ "Data": { "Source": "csv", "Path": "a.csv" }, "Training": { "Epochs": 3 } }""";
        const string defaults = """{ "Data": { "Source": "csv", "Path": "a.csv", "Delimiter": ",", "Target": null }, "Training": { "Epochs": 5 } }""";
        const string changed = """{ "Data": { "Source": "csv", "Path": "a.csv", "Delimiter": ";", "Target": "y" }, "Training": { "Epochs": 5 } }""";

        Assert.That(RecipeComparison.Differences(before, defaults), Is.Empty);
        Assert.That(RecipeComparison.Differences(before, changed), Is.EqualTo(new[]
        {
            "Data:Delimiter: (absent) → \";\"", "Data:Target: (absent) → \"y\"",
        }));
        Assert.That(RecipeComparison.Differences(defaults, before), Is.EqualTo(new[] { "Data:Delimiter: \",\" → (absent)" }),
            "a setting the recipe no longer has is still a difference (a JSON null reads as absent)");
    }
}
