using Trainer.Reports;
using System.Text.Json;
using Trainer.Hosting.Configuration;
using Trainer.Search;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Search;

public sealed class SearchRunnerTests
{
    private static string Recipe(TempFolder folder, string search) => folder.Write("search.json", TestRecipes.Digits(epochs: 2, extra: $$"""
        "Search": { "Study": "t", "Objective": "val_accuracy", "Trials": 4, "Seed": 3, {{search}} }
        """));

    private const string LearningRateSpace = """ "Space": { "Optimizer:LearningRate": { "Distribution": "LogUniform", "Min": 1e-4, "Max": 1e-1 } } """;

    private static (int Code, string Output, string Errors) Search(string recipe, string folder, int? trials = null, params string[] overrides)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = new SearchRunner(Runner.Catalog, output, error, Runner.Features, new PngPlotter()).RunAsync(new SearchRequest
        {
            Recipe = RecipeSource.FromFile(recipe), Trials = trials, Overrides = overrides,
            Storage = $"sqlite:{Path.Combine(folder, "studies.db")}", OutDirectory = Path.Combine(folder, "study"),
        }).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void ASearchTrainsEveryTrialWithItsSampleAndWritesTheStudyFiles()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, LearningRateSpace);

        var (code, output, errors) = Search(recipe, folder.Path);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var csv = File.ReadAllLines(folder.File("study/study.csv"));
        Assert.That(csv[0], Is.EqualTo("number,state,value,best_value,best_epoch,last_value,last_epoch,duration_seconds,Optimizer:LearningRate"));
        Assert.That(csv.Skip(1).Select(l => l.Split(',')[1]), Is.All.EqualTo("complete"));
        foreach (var row in csv.Skip(1).Select(l => l.Split(',')))
        {
            var resolved = JsonDocument.Parse(File.ReadAllText(folder.File($"study/trials/trial-{int.Parse(row[0]):D4}/recipe.json"))).RootElement;
            Assert.That(resolved.GetProperty("Optimizer").GetProperty("LearningRate").GetDouble(), Is.EqualTo(double.Parse(row[8], System.Globalization.CultureInfo.InvariantCulture)),
                "the trial trained with its sampled value");
            Assert.That(double.Parse(row[8], System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1e-4, 1e-1));
        }
        var best = JsonDocument.Parse(File.ReadAllText(folder.File("study/best.json"))).RootElement;
        Assert.That(best.GetProperty("complete").GetInt32(), Is.EqualTo(4));
        Assert.That(output, Does.Contain("Best: trial ").And.Contain("Top 10:"));
    }

    // Every trial reports 0.5, 0.9, 0.7 for its objective: its best epoch is 2 (0.9), its last 3 (0.7).
    private static string ScriptedRecipe(TempFolder folder, string score) => folder.Write("scripted.json", TestRecipes.Digits(epochs: 3, extra: $$"""
        "Callbacks": [ { "Type": "ScriptedMetric", "Options": { "Values": [0.5, 0.9, 0.7] } } ],
        "Search": { "Study": "scripted", "Objective": "scripted", "Direction": "maximize", "Trials": 2, "Seed": 3, {{score}} {{LearningRateSpace}} }
        """));

    [TestCase("", 0.9)]
    [TestCase("\"Score\": \"best\",", 0.9)]
    [TestCase("\"Score\": \"last\",", 0.7)]
    public void ATrialIsScoredByItsBestEpochUnlessTheRecipeAsksForTheLast(string score, double expected)
    {
        using var folder = TempFolder.AsWorkingDirectory();

        var (code, _, errors) = Search(ScriptedRecipe(folder, score), folder.Path);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var rows = File.ReadAllLines(folder.File("study/study.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        foreach (var row in rows)
            Assert.That(row[2..8], Is.EqualTo(new[] { expected.ToString(System.Globalization.CultureInfo.InvariantCulture), "0.9", "2", "0.7", "3", row[7] }),
                "value, best_value, best_epoch, last_value, last_epoch");
        var best = JsonDocument.Parse(File.ReadAllText(folder.File("study/best.json"))).RootElement;
        Assert.That(best.GetProperty("best").GetProperty("value").GetDouble(), Is.EqualTo(expected));
    }

    [Test]
    public void AnUnknownScoreIsRefusedNamingTheSetting()
    {
        using var folder = TempFolder.AsWorkingDirectory();

        var (code, _, errors) = Search(ScriptedRecipe(folder, "\"Score\": \"median\","), folder.Path);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Trim(), Is.EqualTo("error: Search:Score 'median' is not supported; use best (the best epoch's objective, the default) or last (the last epoch's)."));
    }

    [Test]
    public void ReRunningResumesTheStudyUpToTheNewBudget()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, LearningRateSpace);
        Search(recipe, folder.Path, trials: 2);

        var (code, _, _) = Search(recipe, folder.Path, trials: 5);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed));
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        Assert.That(store.Trials("t").Select(t => t.Number), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void AnInvalidSampleIsAFailedTrialWithItsReasonAndTheStudyGoesOn()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, """
            "MaxFailures": 50,
            "Space": { "Model:Dropout": { "Distribution": "Uniform", "Min": 0.5, "Max": 1.5 } }
            """);

        var (code, _, _) = Search(recipe, folder.Path, trials: 3);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed));
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        var trials = store.Trials("t");
        Assert.That(trials.Count(t => t.State == TrialState.Complete), Is.EqualTo(3));
        var failed = trials.Where(t => t.State == TrialState.Failed).ToList();
        Assert.That(failed, Is.Not.Empty, "dropout ≥ 1 is invalid");
        Assert.That(failed.Select(t => t.Failure), Is.All.StartWith("Model:Dropout must be in [0, 1)"));
    }

    [Test]
    public void ASpaceThatNeverValidatesStopsAfterMaxFailures()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, """ "MaxFailures": 3, "Space": { "Model:Dropout": { "Distribution": "Uniform", "Min": 1, "Max": 2 } } """);

        var (code, _, errors) = Search(recipe, folder.Path);

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(errors, Does.StartWith("error: this worker stopped after 3 failed trials (Search:MaxFailures)"));
    }

    [Test]
    public void TuningOnTheTestSplitIsRefused()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, LearningRateSpace);

        var (code, _, errors) = Search(recipe, folder.Path, null, "--Search:Objective=test_accuracy");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Does.StartWith("error: Search:Objective 'test_accuracy' would tune on the test split; use a validation metric"));
    }

    [Test]
    public void ATpeStudyTrainsItsTrialsAndResumesToTheSamePoints()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, """ "Sampler": { "Type": "TPE", "Options": { "StartupTrials": 2, "Multivariate": true } }, """ + LearningRateSpace);

        var (code, _, errors) = Search(recipe, folder.Path, trials: 3);
        var (resumed, _, _) = Search(recipe, folder.Path, trials: 5);

        Assert.That((code, resumed, errors), Is.EqualTo((ExitCodes.Completed, ExitCodes.Completed, "")));
        using var store = new SqliteStudyStore(folder.File("studies.db"));
        var trials = store.Trials("t");
        Assert.That(trials.Select(t => t.State), Is.EqualTo(Enumerable.Repeat(TrialState.Complete, 5)));
        // The points follow from the seed and the history alone: the sampler asked again gives trial 4 its point.
        var again = SearchRunner.Sample(SearchSpecFor(recipe), 4, trials.Take(4).ToList());
        Assert.That(again.Point, Is.EqualTo(trials[4].Point));
    }

    private static SearchSpec SearchSpecFor(string recipe)
    {
        var (configuration, typed) = RecipeConfiguration.BuildLayers(RecipeSource.FromFile(recipe), []);
        return SearchSpecParser.Parse(configuration, RecipeBinder.Bind(configuration, typed), plugins: Runner.Catalog);
    }

    [Test]
    public void TheMedianPrunerStopsTrialsWorseThanTheMedianAtTheSameEpoch()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, """
            "Pruner": { "Type": "Median", "Options": { "WarmupEpochs": 1, "MinTrials": 1 } },
            "Space": { "Optimizer:LearningRate": { "Distribution": "LogUniform", "Min": 1e-6, "Max": 1e-1 } }
            """);

        Search(recipe, folder.Path, trials: 8, "--Training:Epochs=3");

        using var store = new SqliteStudyStore(folder.File("studies.db"));
        var pruned = store.Trials("t").Where(t => t.State == TrialState.Pruned).ToList();
        Assert.That(pruned, Is.Not.Empty);
        foreach (var trial in pruned)
        {
            var summary = Trainer.Runs.RunSummaryFile.Read(trial.RunDirectory!);
            Assert.That(summary.StopReason, Is.EqualTo("pruned"));
            Assert.That(summary.StopMessage, Does.Contain("is worse than the median"));
        }
    }

    [Test]
    public void SuccessiveHalvingPrunesOnlyAtRungsKeepingTheBestThird()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, """
            "Pruner": { "Type": "SuccessiveHalving", "Options": { "MinEpochs": 1, "ReductionFactor": 3 } },
            "Space": { "Optimizer:LearningRate": { "Distribution": "LogUniform", "Min": 1e-6, "Max": 1e-1 } }
            """);

        Search(recipe, folder.Path, trials: 9, "--Training:Epochs=4");

        using var store = new SqliteStudyStore(folder.File("studies.db"));
        var pruned = store.Trials("t").Where(t => t.State == TrialState.Pruned).ToList();
        Assert.That(pruned, Is.Not.Empty);
        foreach (var trial in pruned)
        {
            var summary = Trainer.Runs.RunSummaryFile.Read(trial.RunDirectory!);
            Assert.That(summary.Epochs, Is.EqualTo(1).Or.EqualTo(3), "rungs are at epochs 1 and 3 (then 9)");
            Assert.That(summary.StopMessage, Does.Contain($"at rung epoch {summary.Epochs} is not in the best"));
        }
        Assert.That(store.Trials("t").Count(t => t.State == TrialState.Complete), Is.GreaterThan(0), "the best go on to the end");
    }

    [TestCase(""" "Space": {} """, "Search:Space is empty")]
    [TestCase(""" "Space": { "Optimizer:LearningRate": { "Distribution": "LogUniform", "Min": 0, "Max": 1 } } """,
        "Search:Space:Optimizer:LearningRate: LogUniform needs 0 < Min < Max (got 0, 1); a log scale cannot reach 0.")]
    [TestCase(""" "Space": { "Optimizer:Beta1": { "Distribution": "OneMinusLogUniform", "Min": 0.9, "Max": 1 } } """,
        "Search:Space:Optimizer:Beta1: OneMinusLogUniform needs 0 < Min < Max < 1")]
    [TestCase(""" "Space": { "Optimizer:LearningRate": { "Distribution": "Normal", "Min": 0, "Max": 1 } } """,
        "Search:Space:Optimizer:LearningRate:Distribution 'Normal' is not supported")]
    [TestCase(""" "Sampler": { "Type": "Bayes" }, "Space": { "Optimizer:LearningRate": { "Distribution": "LogUniform", "Min": 1e-4, "Max": 1 } } """,
        "Search:Sampler:Type 'Bayes' is not supported")]
    [TestCase(""" "Space": { "Optimizer:LearningRate": { "Distribution": "LogUniform", "Max": 1 } } """,
        "Search:Space:Optimizer:LearningRate:Min is required.")]
    [TestCase(""" "Sampler": { "Type": "TPE", "Options": { "GammaFraction": 2 } }, """ + LearningRateSpace,
        "Search:Sampler:Options:GammaFraction must be in (0, 1] (got 2).")]
    [TestCase(""" "Sampler": { "Type": "TPE", "Options": { "Multivariate": "yes" } }, """ + LearningRateSpace,
        "Search:Sampler:Options:Multivariate 'yes' is not true or false.")]
    public void ABadSearchSectionIsAnInputErrorNamingThePath(string search, string expected)
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, search);

        var (code, _, errors) = Search(recipe, folder.Path);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
        Assert.That(errors, Does.StartWith("error: " + expected));
    }
}
