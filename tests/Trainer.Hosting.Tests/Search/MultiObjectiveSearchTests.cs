using System.Globalization;
using System.Text.Json;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Tests.Support;
using Trainer.Reports;
using Trainer.Search;

namespace Trainer.Hosting.Tests.Search;

public sealed class MultiObjectiveSearchTests
{
    private const string Objectives = """
        "Objectives": [ { "Metric": "val_accuracy", "Direction": "maximize" }, { "Metric": "parameter_count" } ]
        """;

    private const string HiddenSpace = """ "Space": { "Model:Hidden:0": { "Distribution": "IntLogUniform", "Min": 2, "Max": 64 } } """;

    private static string Recipe(TempFolder folder, string search) => folder.Write("multi.json", TestRecipes.Digits(epochs: 1, extra: $$"""
        "Search": { "Study": "multi", "Trials": 4, "Seed": 3, {{search}} }
        """));

    private static (int Code, string Output, string Errors) Search(string recipe, string folder, params string[] overrides)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = new SearchRunner(Runner.Catalog, output, error, Runner.Features, new PngPlotter()).RunAsync(new SearchRequest
        {
            Recipe = RecipeSource.FromFile(recipe), Overrides = overrides,
            Storage = $"sqlite:{Path.Combine(folder, "studies.db")}", OutDirectory = Path.Combine(folder, "study"),
        }).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void ATwoObjectiveSearchWritesEachObjectivesColumnAndTheParetoFront()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, $$""" {{Objectives}}, "Sampler": { "Type": "NSGAII", "Options": { "PopulationSize": 2 } }, {{HiddenSpace}} """);

        var (code, output, errors) = Search(recipe, folder.Path);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var csv = File.ReadAllLines(folder.File("study/study.csv"));
        Assert.That(csv[0], Is.EqualTo("number,state,value,best_value,best_epoch,last_value,last_epoch,duration_seconds,val_accuracy,parameter_count,pareto,Model:Hidden:0"));
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows.Select(r => r[1]), Is.All.EqualTo("complete"));
        foreach (var row in rows)
        {
            // Linear(64→h, no bias before batch norm) + BatchNorm(h) + Linear(h→10): 64h + 2h + 10h + 10 trainable parameters.
            var hidden = int.Parse(row[11], CultureInfo.InvariantCulture);
            Assert.That(double.Parse(row[9], CultureInfo.InvariantCulture), Is.EqualTo(76 * hidden + 10), "parameter_count");
            Assert.That(row[8], Is.EqualTo(row[2]), "the value is the first objective's");
        }
        var values = rows.Select(r => new[] { double.Parse(r[8], CultureInfo.InvariantCulture), double.Parse(r[9], CultureInfo.InvariantCulture) }).ToList();
        var expectedFront = Pareto.Front(values, [true, false]).Select(i => int.Parse(rows[i][0], CultureInfo.InvariantCulture)).ToList();
        Assert.That(rows.Where(r => r[10] == "true").Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)), Is.EqualTo(expectedFront));

        var best = JsonDocument.Parse(File.ReadAllText(folder.File("study/best.json"))).RootElement;
        Assert.That(best.TryGetProperty("best", out _), Is.False);
        var front = best.GetProperty("front").EnumerateArray().ToList();
        Assert.That(front.Select(t => t.GetProperty("number").GetInt32()), Is.EqualTo(expectedFront));
        Assert.That(front[0].GetProperty("values").GetProperty("parameter_count").GetDouble(), Is.GreaterThan(0));
        Assert.That(front[0].GetProperty("parameters").GetProperty("Model:Hidden:0").GetString(), Is.Not.Empty);
        Assert.That(output, Does.Contain("maximize val_accuracy, minimize parameter_count").And.Contain($"Pareto front: {expectedFront.Count} trial"));
        Assert.That(File.Exists(folder.File("study/plots/pareto-front.png")), Is.True);

        using var store = new SqliteStudyStore(folder.File("studies.db"));
        Assert.That(store.Objectives("multi"), Is.EqualTo(new[] { new StudyObjective("val_accuracy", true), new StudyObjective("parameter_count", false) }));
        Assert.That(store.Trials("multi").Select(t => t.Values!.Length), Is.All.EqualTo(2));
    }

    [Test]
    public void EpochSecondsIsAnObjectiveAndAnUnknownMetricFailsTheTrialNamingItsPath()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = Recipe(folder, $$"""
            "MaxFailures": 1,
            "Objectives": [ { "Metric": "val_loss" }, { "Metric": "epoch_seconds" }, { "Metric": "val_nonsense", "Direction": "maximize" } ], {{HiddenSpace}}
            """);

        Search(recipe, folder.Path, "--Search:Trials=1");

        using var store = new SqliteStudyStore(folder.File("studies.db"));
        var trial = store.Trials("multi").Single();
        Assert.That(trial.State, Is.EqualTo(TrialState.Failed));
        Assert.That(trial.Failure, Does.Contain("Search:Objectives:2:Metric: metric 'val_nonsense' is not logged; available:").And.Contain("epoch_seconds, parameter_count"));

        var (code, _, errors) = Search(Recipe(folder, $$""" "Objectives": [ { "Metric": "val_loss" }, { "Metric": "epoch_seconds" } ], {{HiddenSpace}} """), folder.Path,
            "--Search:Study=seconds", "--Search:Trials=1");
        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var values = store.Trials("seconds").Single().Values!;
        Assert.That(values[1], Is.GreaterThan(0).And.LessThan(60), "mean seconds of the epochs");
    }

    [Test]
    public void ResumingAStudyWithOtherObjectivesIsOneClearError()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        Search(Recipe(folder, $$""" {{Objectives}}, {{HiddenSpace}} """), folder.Path, "--Search:Trials=1");

        var (code, _, errors) = Search(Recipe(folder, $$"""
            "Objectives": [ { "Metric": "val_accuracy" }, { "Metric": "epoch_seconds" } ], {{HiddenSpace}}
            """), folder.Path, "--Search:Trials=1");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Trim(), Is.EqualTo("error: Study 'multi' already exists with maximize val_accuracy, minimize parameter_count, but Search:Objectives " +
                                              "asks for maximize val_accuracy, minimize epoch_seconds; give this search its own Search:Study name, or --storage elsewhere."));
    }

    private sealed class RecordingSampler : ISampler
    {
        public SamplerContext? Context { get; private set; }

        public double[] Next(SamplerContext context)
        {
            Context = context;
            return [0.5];
        }
    }

    [Test]
    public void TheSamplerSeesEveryCompleteTrialsObjectiveVectorAndTheDirections()
    {
        var sampler = new RecordingSampler();
        var spec = new SearchSpec
        {
            Study = "s", Objective = "val_accuracy", Maximize = true, Trials = 9, Seed = 1, Sampler = sampler, Pruner = "None",
            Objectives = [new("val_accuracy", true), new("parameter_count", false)], Space = [("Model:Hidden:0", new IntLogUniformDistribution(2, 64))],
        };
        TrialRecord Trial(int number, TrialState state, double[]? values) =>
            new(number, state, new Dictionary<string, string>(), [0.1 * number], values?[0], null, DateTimeOffset.UnixEpoch, null, null, Values: values);
        TrialRecord[] trials = [Trial(0, TrialState.Complete, [0.9, 100]), Trial(1, TrialState.Pruned, null), Trial(2, TrialState.Failed, null),
            Trial(3, TrialState.Running, null), Trial(4, TrialState.Complete, [0.8, double.NaN]), Trial(5, TrialState.Complete, [0.7, 50])];

        SearchRunner.Sample(spec, 6, trials);

        Assert.That(sampler.Context!.ObjectiveValues!.Keys.Order(), Is.EqualTo(new[] { 0, 5 }));
        Assert.That(sampler.Context.ObjectiveValues[5], Is.EqualTo(new[] { 0.7, 50 }));
        Assert.That(sampler.Context.ObjectiveMaximize, Is.EqualTo(new[] { true, false }));
        SearchRunner.Sample(new SearchSpec
        {
            Study = "s", Objective = "val_accuracy", Maximize = true, Trials = 9, Seed = 1, Sampler = sampler, Pruner = "None", Space = spec.Space,
        }, 6, trials);
        Assert.That((sampler.Context.ObjectiveValues, sampler.Context.ObjectiveMaximize), Is.EqualTo(((IReadOnlyDictionary<int, double[]>?)null, (IReadOnlyList<bool>?)null)));
    }

    [TestCase(""" "Objective": "val_accuracy", "Objectives": [ { "Metric": "val_accuracy" }, { "Metric": "val_loss" } ] """,
        "Search:Objectives and Search:Objective/Search:Direction are both set")]
    [TestCase(""" "Objectives": [ { "Metric": "val_accuracy" } ] """, "Search:Objectives has one objective; give at least two")]
    [TestCase(""" "Objectives": [ { "Metric": "val_accuracy" }, { "Metric": "val_loss" } ], "Pruner": { "Type": "Median" } """,
        "Search:Pruner:Type 'Median' cannot prune a study with several Search:Objectives")]
    [TestCase(""" "Objectives": [ { "Metric": "val_accuracy" }, { "Metric": "val_loss", "Direction": "down" } ] """,
        "Search:Objectives:1:Direction 'down' is not supported; use maximize or minimize.")]
    [TestCase(""" "Objectives": [ { "Metric": "val_accuracy" }, { "Metric": "val_accuracy" } ] """, "Search:Objectives:1:Metric 'val_accuracy' is already an objective")]
    [TestCase(""" "Objectives": [ { "Metric": "val_accuracy" }, { "Metric": "test_loss" } ] """, "Search:Objectives:1:Metric 'test_loss' would tune on the test split")]
    [TestCase(""" "Objectives": [ { "Metric": "val_accuracy" }, { "Direction": "minimize" } ] """, "Search:Objectives:1:Metric is required")]
    public void ABadObjectivesSectionIsOneErrorNamingThePath(string objectives, string expected)
    {
        using var folder = TempFolder.AsWorkingDirectory();

        var (code, _, errors) = Search(Recipe(folder, $$""" {{objectives}}, {{HiddenSpace}} """), folder.Path);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith("error: " + expected));
    }
}
