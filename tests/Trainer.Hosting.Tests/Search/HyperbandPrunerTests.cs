using Trainer.Reports;
using Trainer.Search;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

/// <summary><c>Search:Pruner:Type</c> Hyperband through a search: its options' errors, and pruning in a real study.</summary>
public sealed class HyperbandPrunerTests
{
    // The objective is the scripted metric whose every epoch's value the trial samples: distinct values, known at each rung.
    private static (int Code, string Errors) Search(TempFolder folder, string pruner, int trials = 6)
    {
        var recipe = folder.Write("search.json", TestRecipes.Digits(epochs: 3, extra: $$"""
            "Callbacks": [ { "Type": "ScriptedMetric", "Options": { "Values": [0.5] } } ],
            "Search": { "Study": "t", "Objective": "scripted", "Direction": "minimize", "Trials": {{trials}}, "Seed": 3, "Pruner": {{pruner}},
                        "Space": { "Callbacks:0:Options:Values:0": { "Distribution": "Uniform", "Min": 0, "Max": 1 } } }
            """));
        var error = new StringWriter();
        var code = new SearchRunner(Runner.Catalog, new StringWriter(), error, Runner.Features, new PngPlotter()).RunAsync(new SearchRequest
        {
            Recipe = RecipeSource.FromFile(recipe), Storage = $"sqlite:{folder.File("studies.db")}", OutDirectory = folder.File("study"),
        }).GetAwaiter().GetResult();
        return (code, error.ToString());
    }

    [TestCase(""" { "Type": "Hyperband", "Options": { "MinEpochs": 4 } } """,
        "Search:Pruner:Options:MaxEpochs must be at least MinEpochs (4) (got 3); it defaults to Training:Epochs.")]
    [TestCase(""" { "Type": "Hyperband", "Options": { "MinEpochs": 2, "MaxEpochs": 1 } } """,
        "Search:Pruner:Options:MaxEpochs must be at least MinEpochs (2) (got 1)")]
    [TestCase(""" { "Type": "Hyperband", "Options": { "MaxEpochs": "many" } } """, "Search:Pruner:Options:MaxEpochs 'many' is not a whole number.")]
    [TestCase(""" { "Type": "Hyperband", "Options": { "MinEpochs": 0, "MaxEpochs": 9 } } """, "Search:Pruner:Options:MinEpochs must be at least 1 (got 0).")]
    [TestCase(""" { "Type": "Hyperband", "Options": { "ReductionFactor": 1 } } """, "Search:Pruner:Options:ReductionFactor must be at least 2 (got 1).")]
    [TestCase(""" { "Type": "HyperBand2" } """, "Search:Pruner:Type 'HyperBand2' is not supported; use one of: None, Median, SuccessiveHalving, Hyperband.")]
    public void BadHyperbandOptionsAreOneLineNamingThePath(string pruner, string expected)
    {
        using var folder = TempFolder.AsWorkingDirectory();

        var (code, errors) = Search(folder, pruner);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
        Assert.That(errors, Does.StartWith("error: " + expected));
    }

    [Test]
    public void ASearchWithHyperbandPrunesOnlyAtTheRungsOfEachTrialsBracket()
    {
        // (1, 3, 3): bracket 0 (budget 3) has a rung at epoch 1; bracket 1 (budget 2) has none and never prunes.
        using var folder = TempFolder.AsWorkingDirectory();

        var (code, errors) = Search(folder, """ { "Type": "Hyperband", "Options": { "MinEpochs": 1 } } """, trials: 5);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var brackets = new HyperbandBrackets(1, 3, 3);
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        var trials = store.Trials("t");
        Assert.That(trials, Has.Count.EqualTo(5));
        var values = trials.ToDictionary(t => t.Number, t => double.Parse(t.Parameters["Callbacks:0:Options:Values:0"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(trials.Count(t => t.State == TrialState.Pruned), Is.GreaterThan(0), "bracket 0 holds trials 1, 3 and 4 of study t, seed 3 samples them rising");
        Assert.That(trials.Where(t => t.State == TrialState.Pruned).Select(t => t.Number),
            Is.EquivalentTo(new[] { 3, 4 }.Where(n => new[] { 1, 3, 4 }.Where(m => m < n).Any(m => values[m] < values[n]))),
            "pruned at epoch 1 when an earlier trial of bracket 0 did better (one of two or three is kept), whatever bracket 1 did");
        Assert.That(trials.Where(t => t.State == TrialState.Complete).Select(t => Trainer.Runs.RunSummaryFile.Read(t.RunDirectory!).Epochs), Is.All.EqualTo(3));
        foreach (var trial in trials.Where(t => t.State == TrialState.Pruned))
        {
            var summary = Trainer.Runs.RunSummaryFile.Read(trial.RunDirectory!);
            Assert.That((brackets.BracketOf("t", trial.Number), summary.Epochs), Is.EqualTo((0, 1)));
            Assert.That(summary.StopMessage, Does.Match(@"^scripted = \S+ is not in the best \d of \d trials of bracket 0 at rung epoch 1$"));
        }
        Assert.That(trials.Where(t => brackets.BracketOf("t", t.Number) == 1).Select(t => t.State), Is.All.EqualTo(TrialState.Complete));
    }
}
