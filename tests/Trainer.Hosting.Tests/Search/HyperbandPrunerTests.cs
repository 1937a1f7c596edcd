using Trainer.Reports;
using Trainer.Search;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

public sealed class HyperbandPrunerTests
{
    private const string Study = "hb";

    private static (IReadOnlyDictionary<string, string>, double[]) Sample(int number, IReadOnlyList<TrialRecord> trials) =>
        (new Dictionary<string, string>(), [0.5]);

    [Test]
    public void ATrialIsJudgedOnlyAgainstThePeersOfItsBracket()
    {
        // (1, 9, 3): three brackets with budgets 9, 5, 3; bracket 0 has rungs at epochs 1 and 3, bracket 1 at 3, bracket 2 none.
        using var folder = TempFolder.AsWorkingDirectory();
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        store.EnsureStudy(Study, "val_accuracy", true, "{}");
        var pruner = new HyperbandPruner(store, Study, maximize: true, new HyperbandBrackets(1, 9, 3));
        Assert.That(pruner.Brackets.Budgets, Is.EqualTo(new[] { 9, 5, 3 }));
        var numbers = Enumerable.Range(0, 40).Select(_ => store.StartTrial(Study, 100, "w", TimeSpan.FromHours(1), Sample)!.Number).ToList();
        var first = numbers.Where(n => pruner.Brackets.BracketOf(Study, n) == 0).ToList();
        var second = numbers.Where(n => pruner.Brackets.BracketOf(Study, n) == 1).ToList();
        Assert.That(first, Has.Count.AtLeast(5));
        Assert.That(second, Has.Count.AtLeast(4));

        // Bracket 1's trials are excellent at epoch 1 (not their rung); bracket 0's first three are poor.
        foreach (var n in second.Take(3)) store.Report(Study, n, 1, 0.99);
        foreach (var n in first.Take(3)) store.Report(Study, n, 1, 0.1);
        store.Finish(Study, first[0], TrialState.Pruned, 0.1, null);
        store.Report(Study, first[3], 1, 0.5);

        Assert.That(pruner.Judge(first[3], 1, 0.5), Is.Null, "0.5 is the best of its bracket, though worse than bracket 1's trials");
        store.Report(Study, first[4], 1, 0.3);
        Assert.That(pruner.Judge(first[4], 1, 0.3), Is.EqualTo("is not in the best 1 of 5 trials of bracket 0 at rung epoch 1"));
        store.Report(Study, second[3], 1, 0.0);
        Assert.That(pruner.Judge(second[3], 1, 0.0), Is.Null, "epoch 1 is no rung of bracket 1");
        store.Report(Study, first[3], 2, 0.1);
        Assert.That(pruner.Judge(first[3], 2, 0.1), Is.Null, "epoch 2 is no rung");

        // At epoch 3, bracket 1's rung: only its own trials count (bracket 0's 0.9 would beat 0.6).
        store.Report(Study, first[3], 3, 0.9);
        foreach (var (n, v) in second.Take(3).Zip(new[] { 0.5, 0.4, 0.3 })) store.Report(Study, n, 3, v);
        Assert.That(pruner.Judge(second[3], 3, 0.6), Is.Null);
        Assert.That(pruner.Judge(second[3], 3, 0.45), Is.EqualTo("is not in the best 1 of 4 trials of bracket 1 at rung epoch 3"));
    }

    [Test]
    public void FailedTrialsAreNoPeers()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        store.EnsureStudy(Study, "val_loss", false, "{}");
        var brackets = new HyperbandBrackets(1, 9, 3);
        var pruner = new HyperbandPruner(store, Study, maximize: false, brackets);
        var numbers = Enumerable.Range(0, 40).Select(_ => store.StartTrial(Study, 100, "w", TimeSpan.FromHours(1), Sample)!.Number).ToList();
        var first = numbers.Where(n => brackets.BracketOf(Study, n) == 0).ToList();
        foreach (var n in first.Take(3)) store.Report(Study, n, 1, 0.1);
        foreach (var n in first.Take(3)) store.Finish(Study, n, TrialState.Failed, null, "boom");

        Assert.That(pruner.Judge(first[3], 1, 5.0), Is.Null, "alone in its bracket at the rung");
        store.Report(Study, first[4], 1, 0.2);
        Assert.That(pruner.Judge(first[3], 1, 5.0), Is.EqualTo("is not in the best 1 of 2 trials of bracket 0 at rung epoch 1"));
    }

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
