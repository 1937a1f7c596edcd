using System.Text.Json.Nodes;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Experiments;
using Trainer.Recipes;

namespace Trainer.Hosting.Tests.Experiments;

public sealed class ExperimentSpecParserTests
{
    /// <summary>A recipe with the given extra top-level members (the experiment sections) spliced in.</summary>
    private static RecipeSource Recipe(string extra) => RecipeSource.FromText($$"""
        {
          "Name": "parser-test",
          "Model": { "Kind": "mlp", "Hidden": [64, 32], "Init": "he" },
          "Optimizer": { "Kind": "adam", "LearningRate": 0.01 },
          "Training": { "Epochs": 2, "BatchSize": 128 }{{(extra.Length > 0 ? "," + extra : "")}}
        }
        """, "parser-test.json");

    private static ExperimentSpec Parse(string extra) => ExperimentSpecParser.Parse(Recipe(extra));

    private static IReadOnlyList<string> Errors(string extra) =>
        Assert.Throws<RecipeException>(() => Parse(extra))!.Errors;

    private static JsonObject RecipeOf(ExperimentVariant variant) => JsonNode.Parse(variant.RecipeJson)!.AsObject();

    [Test]
    public void VariantsKeepTheOrderWrittenInTheRecipe()
    {
        var spec = Parse("""
            "Variants": {
              "zeta": { "Optimizer:LearningRate": 0.3 },
              "alpha": { "Optimizer:LearningRate": 0.2 },
              "mid": { "Optimizer:LearningRate": 0.1 }
            }
            """);

        Assert.That(spec.Variants.Select(v => v.Name), Is.EqualTo(new[] { "zeta", "alpha", "mid" }));
        Assert.That(spec.Variants.Select(v => RecipeOf(v)["Optimizer"]!["LearningRate"]!.GetValue<double>()), Is.EqualTo(new[] { 0.3, 0.2, 0.1 }));
        Assert.That(spec.Name, Is.EqualTo("parser-test"));
        Assert.That(spec.Objective, Is.EqualTo("val_accuracy"), "the default objective");
        Assert.That(spec.Metrics, Is.EqualTo(ExperimentSpec.DefaultMetrics));
        Assert.That(spec.SweepAxis, Is.Null);
    }

    [Test]
    public void FlatAndNestedOverridesGiveTheSameRecipe()
    {
        var flat = Parse("""
            "Variants": { "sgd": { "Optimizer:Kind": "sgd", "Optimizer:LearningRate": 0.1, "Training:Epochs": 5 } }
            """).Variants.Single();
        var nested = Parse("""
            "Variants": { "sgd": { "Optimizer": { "Kind": "sgd", "LearningRate": 0.1 }, "Training": { "Epochs": 5 } } }
            """).Variants.Single();

        Assert.That(nested.RecipeJson, Is.EqualTo(flat.RecipeJson));
        Assert.That(nested.Overrides.Keys, Is.EquivalentTo(flat.Overrides.Keys));
        Assert.That(flat.Overrides.Keys, Is.EquivalentTo(new[] { "Optimizer:Kind", "Optimizer:LearningRate", "Training:Epochs" }));
        var recipe = RecipeOf(flat);
        Assert.That(recipe["Optimizer"]!["Kind"]!.GetValue<string>(), Is.EqualTo("sgd"));
        Assert.That(recipe["Optimizer"]!["LearningRate"]!.GetValue<double>(), Is.EqualTo(0.1));
        Assert.That(recipe["Training"]!["Epochs"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(recipe["Training"]!["BatchSize"]!.GetValue<int>(), Is.EqualTo(128), "settings the variant leaves alone keep the base value");
        Assert.That(recipe["Model"]!["Hidden"]!.AsArray().Select(n => n!.GetValue<int>()), Is.EqualTo(new[] { 64, 32 }));
    }

    [Test]
    public void AnOverrideKeyMatchesTheBaseSectionWhateverItsCase()
    {
        var variant = Parse("""
            "Variants": { "lower": { "optimizer:learningrate": 0.5 } }
            """).Variants.Single();

        var optimizer = RecipeOf(variant)["Optimizer"]!.AsObject();
        Assert.That(optimizer.Select(p => p.Key), Is.EqualTo(new[] { "Kind", "LearningRate" }), "no second, differently cased key");
        Assert.That(optimizer["LearningRate"]!.GetValue<double>(), Is.EqualTo(0.5));
    }

    [TestCase("\"Model:Hidden\": [16]", new[] { 16 })]
    [TestCase("\"Model\": { \"Hidden\": [16] }", new[] { 16 })]
    [TestCase("\"Model:Hidden\": [128, 64, 32]", new[] { 128, 64, 32 })]
    [TestCase("\"Model:Hidden\": []", new int[0])]
    public void AnArrayOverrideReplacesTheWholeBaseArray(string overrides, int[] expected)
    {
        var variant = Parse($$""" "Variants": { "v": { {{overrides}} } } """).Variants.Single();

        var hidden = RecipeOf(variant)["Model"]!["Hidden"]!.AsArray();
        Assert.That(hidden.Select(n => n!.GetValue<int>()), Is.EqualTo(expected));
    }

    [Test]
    public void AnIndexedPathChangesOneElementOfABaseArray()
    {
        var variant = Parse(""" "Variants": { "v": { "Model:Hidden:1": 8 } } """).Variants.Single();

        Assert.That(RecipeOf(variant)["Model"]!["Hidden"]!.AsArray().Select(n => n!.GetValue<int>()), Is.EqualTo(new[] { 64, 8 }));
    }

    [Test]
    public void AnOverrideOfAMissingSectionCreatesIt()
    {
        var variant = Parse(""" "Variants": { "v": { "Data:Augment:FlipHorizontal": true } } """).Variants.Single();

        Assert.That(RecipeOf(variant)["Data"]!["Augment"]!["FlipHorizontal"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void TheGridIsCrossedWithEveryVariantInOrder()
    {
        var spec = Parse("""
            "Variants": { "he": { "Model:Init": "he" }, "xavier": { "Model:Init": "xavier" } },
            "Experiment": { "Grid": { "Optimizer:LearningRate": [0.1, 0.01, 0.001] } }
            """);

        Assert.That(spec.Variants.Select(v => v.Name), Is.EqualTo(new[]
        {
            "he LearningRate=0.1", "he LearningRate=0.01", "he LearningRate=0.001",
            "xavier LearningRate=0.1", "xavier LearningRate=0.01", "xavier LearningRate=0.001",
        }));
        Assert.That(spec.Variants.Select(v => v.Folder), Is.EqualTo(new[]
        {
            "he_LearningRate=0.1", "he_LearningRate=0.01", "he_LearningRate=0.001",
            "xavier_LearningRate=0.1", "xavier_LearningRate=0.01", "xavier_LearningRate=0.001",
        }));
        Assert.That(spec.Variants.Select(v => v.Group), Is.EqualTo(new[] { "he", "he", "he", "xavier", "xavier", "xavier" }));
        foreach (var (variant, init, rate) in spec.Variants.Zip(
                     new[] { ("he", 0.1), ("he", 0.01), ("he", 0.001), ("xavier", 0.1), ("xavier", 0.01), ("xavier", 0.001) },
                     (v, e) => (v, e.Item1, e.Item2)))
        {
            var recipe = RecipeOf(variant);
            Assert.That(recipe["Model"]!["Init"]!.GetValue<string>(), Is.EqualTo(init), variant.Name);
            Assert.That(recipe["Optimizer"]!["LearningRate"]!.GetValue<double>(), Is.EqualTo(rate), variant.Name);
            Assert.That(variant.Overrides.Keys, Is.EquivalentTo(new[] { "Model:Init", "Optimizer:LearningRate" }), variant.Name);
            Assert.That(variant.Overrides["Optimizer:LearningRate"]!.GetValue<double>(), Is.EqualTo(rate), variant.Name);
        }
        Assert.That(spec.SweepAxis?.Path, Is.EqualTo("Optimizer:LearningRate"));
        Assert.That(spec.SweepAxis!.ShortName, Is.EqualTo("LearningRate"));
    }

    [Test]
    public void AGridWithoutVariantsRunsEachGridPointOfTheRecipe()
    {
        var spec = Parse("""
            "Experiment": { "Grid": { "Training:BatchSize": [32, 64], "Model:Activation": ["relu", "tanh"] } }
            """);

        Assert.That(spec.Variants.Select(v => v.Name), Is.EqualTo(new[]
        {
            "BatchSize=32 Activation=relu", "BatchSize=32 Activation=tanh", "BatchSize=64 Activation=relu", "BatchSize=64 Activation=tanh",
        }));
        Assert.That(spec.Variants.Select(v => v.Folder), Is.EqualTo(new[]
        {
            "BatchSize=32_Activation=relu", "BatchSize=32_Activation=tanh", "BatchSize=64_Activation=relu", "BatchSize=64_Activation=tanh",
        }));
        Assert.That(spec.Variants.Select(v => v.Group), Is.All.Empty);
        var last = RecipeOf(spec.Variants[^1]);
        Assert.That(last["Training"]!["BatchSize"]!.GetValue<int>(), Is.EqualTo(64));
        Assert.That(last["Model"]!["Activation"]!.GetValue<string>(), Is.EqualTo("tanh"));
        Assert.That(spec.SweepAxis?.Path, Is.EqualTo("Training:BatchSize"), "the one numeric axis is the sweep axis");
    }

    [Test]
    public void TwoNumericGridAxesHaveNoSweepAxis()
    {
        var spec = Parse("""
            "Experiment": { "Grid": { "Training:BatchSize": [32, 64], "Optimizer:LearningRate": [0.1, 0.01] } }
            """);

        Assert.That(spec.Variants, Has.Count.EqualTo(4));
        Assert.That(spec.SweepAxis, Is.Null);
    }

    [Test]
    public void TheExperimentSettingsAreRead()
    {
        var spec = Parse("""
            "Variants": { "a": { "Training:Epochs": 1 } },
            "Experiment": { "Metrics": ["layer01_act_std", "val_loss"], "Objective": "val_loss" }
            """);

        Assert.That(spec.Objective, Is.EqualTo("val_loss"));
        Assert.That(spec.Metrics, Is.EqualTo(ExperimentSpec.DefaultMetrics.Append("layer01_act_std")), "extra metrics appended once each");
    }

    [Test]
    public void TheExperimentSectionsAreRemovedFromEveryVariantsRecipe()
    {
        var spec = Parse("""
            "variants": { "a": { "Training:Epochs": 1 }, "b": { "Training:Epochs": 3 } },
            "EXPERIMENT": { "Grid": { "Optimizer:LearningRate": [0.1] } }
            """);

        Assert.That(spec.Variants, Has.Count.EqualTo(2));
        foreach (var variant in spec.Variants)
        {
            Assert.That(RecipeOf(variant).Select(p => p.Key), Is.EqualTo(new[] { "Name", "Model", "Optimizer", "Training" }), variant.Name);
        }
    }

    [Test]
    public void ARecipeIsAnExperimentWhenItHasVariantsOrAnExperimentSection()
    {
        Assert.That(ExperimentSpecParser.IsExperiment(Recipe(""" "Variants": { "a": {} } """)), Is.True);
        Assert.That(ExperimentSpecParser.IsExperiment(Recipe(""" "Experiment": { "Grid": { "Training:Epochs": [1, 2] } } """)), Is.True);
        Assert.That(ExperimentSpecParser.IsExperiment(Recipe(""" "variants": { "a": {} } """)), Is.True, "keys are case-insensitive");
        Assert.That(ExperimentSpecParser.IsExperiment(Recipe("")), Is.False);
        Assert.That(ExperimentSpecParser.IsExperiment(Recipe(""" "Search": { "Trials": 2 } """)), Is.False);
        Assert.That(ExperimentSpecParser.IsExperiment(RecipeSource.FromText("[1, 2]", "array.json")), Is.False);
    }

    [Test]
    public void ARecipeThatIsNotJsonIsAnErrorNamingTheRecipe()
    {
        var broken = RecipeSource.FromText("{ \"Name\": ", "broken.json");

        var error = Assert.Throws<RecipeException>(() => ExperimentSpecParser.IsExperiment(broken))!;
        Assert.That(error.Errors.Single(), Does.StartWith("Recipe 'broken.json' is not valid JSON: "));
        var notObject = Assert.Throws<RecipeException>(() => ExperimentSpecParser.Parse(RecipeSource.FromText("[1]", "array.json")))!;
        Assert.That(notObject.Errors.Single(), Is.EqualTo("Recipe 'array.json' is not a JSON object."));
    }

    [TestCase("\"Variants\": [\"a\", \"b\"]")]
    [TestCase("\"Variants\": {}")]
    [TestCase("\"Variants\": \"sgd\"")]
    public void VariantsThatAreNotANonEmptyObjectAreAnError(string variants)
    {
        Assert.That(Errors(variants), Is.EqualTo(new[]
        {
            "Variants must be a JSON object mapping each variant's name to the settings it changes, e.g. { \"sgd\": { \"Optimizer:Kind\": \"sgd\" } }.",
        }));
    }

    [Test]
    public void AVariantThatIsNotAnObjectIsAnErrorNamingIt()
    {
        Assert.That(Errors(""" "Variants": { "good": { "Training:Epochs": 1 }, "bad": 0.1 } """), Is.EqualTo(new[]
        {
            "Variants:bad must be a JSON object of settings, e.g. { \"Optimizer:LearningRate\": 0.01 }.",
        }));
    }

    [Test]
    public void AVariantWithAnEmptyNameIsAnError()
    {
        Assert.That(Errors(""" "Variants": { " ": { "Training:Epochs": 1 } } """), Is.EqualTo(new[]
        {
            "Variants: a variant has an empty name; give every variant a name.",
        }));
    }

    [Test]
    public void AnUnknownExperimentSettingIsAnErrorListingTheKnownOnes()
    {
        Assert.That(Errors(""" "Variants": { "a": {} }, "Experiment": { "Grids": { "Training:Epochs": [1] } } """), Is.EqualTo(new[]
        {
            "Experiment:Grids is not an experiment setting; settings of Experiment are: Grid, Metrics, Objective.",
        }));
    }

    [Test]
    public void AnExperimentSectionThatIsNotAnObjectIsAnError()
    {
        Assert.That(Errors(""" "Experiment": [1] """), Is.EqualTo(new[]
        {
            "Experiment must be a JSON object with Grid, Metrics or Objective.",
        }));
    }

    [TestCase("[]")]
    [TestCase("0.1")]
    [TestCase("[[0.1, 0.2]]")]
    [TestCase("[{ \"x\": 1 }]")]
    [TestCase("[0.1, null]")]
    public void AGridAxisThatIsNotANonEmptyListOfPlainValuesIsAnErrorNamingTheAxis(string values)
    {
        Assert.That(Errors($$""" "Experiment": { "Grid": { "Training:Epochs": [1, 2], "Optimizer:LearningRate": {{values}} } } """), Is.EqualTo(new[]
        {
            "Experiment:Grid:Optimizer:LearningRate must be a non-empty list of plain values (numbers, strings or booleans).",
        }));
    }

    [TestCase("{}")]
    [TestCase("[0.1]")]
    public void AGridThatIsNotANonEmptyObjectIsAnError(string grid)
    {
        Assert.That(Errors($$""" "Experiment": { "Grid": {{grid}} } """), Is.EqualTo(new[]
        {
            "Experiment:Grid must be a JSON object mapping setting paths to lists of values, e.g. { \"Optimizer:LearningRate\": [0.001, 0.01] }.",
        }));
    }

    [TestCase("\"val_loss\"")]
    [TestCase("[\"val_loss\", 3]")]
    [TestCase("[\"\"]")]
    [TestCase("{ \"val_loss\": true }")]
    public void MetricsThatAreNotAListOfNamesAreAnError(string metrics)
    {
        Assert.That(Errors($$""" "Variants": { "a": {} }, "Experiment": { "Metrics": {{metrics}} } """), Is.EqualTo(new[]
        {
            "Experiment:Metrics must be a list of metric names, e.g. [\"val_loss\"].",
        }));
    }

    [TestCase("3")]
    [TestCase("\"\"")]
    [TestCase("[\"val_loss\"]")]
    public void AnObjectiveThatIsNotAMetricNameIsAnError(string objective)
    {
        Assert.That(Errors($$""" "Variants": { "a": {} }, "Experiment": { "Objective": {{objective}} } """), Is.EqualTo(new[]
        {
            "Experiment:Objective must be a metric name such as \"val_accuracy\".",
        }));
    }

    [Test]
    public void APathThroughAValueIsAnErrorNamingTheVariantAndThePath()
    {
        Assert.That(Errors(""" "Variants": { "ok": { "Training:Epochs": 1 }, "deep": { "Optimizer:LearningRate:X": 1 } } """), Is.EqualTo(new[]
        {
            "Variants:deep: Optimizer:LearningRate:X: 'Optimizer:LearningRate' is a value, not a section.",
        }));
    }

    [Test]
    public void AGridPathThroughAValueIsAnErrorOfTheGridReportedOnce()
    {
        Assert.That(Errors(""" "Variants": { "a": {}, "b": {} }, "Experiment": { "Grid": { "Optimizer:LearningRate:X": [1, 2] } } """), Is.EqualTo(new[]
        {
            "Experiment:Grid: Optimizer:LearningRate:X: 'Optimizer:LearningRate' is a value, not a section.",
        }));
        Assert.That(Errors(""" "Experiment": { "Grid": { "Training:Epochs:Max": [1] } } """), Is.EqualTo(new[]
        {
            "Experiment:Grid: Training:Epochs:Max: 'Training:Epochs' is a value, not a section.",
        }));
    }

    [Test]
    public void AnIndexPastTheEndOfAnArrayIsAnError()
    {
        Assert.That(Errors(""" "Variants": { "v": { "Model:Hidden:2": 8 } } """), Is.EqualTo(new[]
        {
            "Variants:v: Model:Hidden:2: 'Model:Hidden' has no element '2'.",
        }));
    }

    [Test]
    public void TwoVariantsWhoseFoldersWouldClashAreAnError()
    {
        Assert.That(Errors(""" "Variants": { "lr 0.1": { "Optimizer:LearningRate": 0.1 }, "lr/0.1": { "Optimizer:LearningRate": 0.2 }, "LR_0.1": {} } """),
            Is.EqualTo(new[]
            {
                "Variants: the variants 'lr 0.1', 'lr/0.1', 'LR_0.1' would share the folder 'lr_0.1'; give them distinct names.",
            }));
    }

    [TestCase("", "base")]
    [TestCase("adam", "adam")]
    [TestCase("he LearningRate=0.1", "he_LearningRate=0.1")]
    [TestCase("a/b\\c:d*é", "a_b_c_d__")]
    [TestCase("x=1e-3", "x=1e-3")]
    public void AFolderNameKeepsLettersDigitsDotsEqualsAndDashes(string name, string folder)
    {
        Assert.That(ExperimentSpecParser.Folder(name), Is.EqualTo(folder));
    }

    [Test]
    public void EveryMistakeInTheExperimentSectionsIsReportedAtOnce()
    {
        var errors = Errors("""
            "Variants": { "a": 1, "b": [2] },
            "Experiment": { "Metrics": "val_loss", "Grid": { "Optimizer:LearningRate": [] }, "Colour": "red" }
            """);

        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "Variants:a must be a JSON object of settings, e.g. { \"Optimizer:LearningRate\": 0.01 }.",
            "Variants:b must be a JSON object of settings, e.g. { \"Optimizer:LearningRate\": 0.01 }.",
            "Experiment:Colour is not an experiment setting; settings of Experiment are: Grid, Metrics, Objective.",
            "Experiment:Grid:Optimizer:LearningRate must be a non-empty list of plain values (numbers, strings or booleans).",
            "Experiment:Metrics must be a list of metric names, e.g. [\"val_loss\"].",
        }));
    }

    [Test]
    public void EveryBadPathOfEveryVariantIsReportedAtOnce()
    {
        var errors = Errors("""
            "Variants": {
              "one": { "Optimizer:Kind:Name": "sgd" },
              "two": { "Training:Epochs:Max": 3, "Model:Hidden:9": 1 }
            }
            """);

        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "Variants:one: Optimizer:Kind:Name: 'Optimizer:Kind' is a value, not a section.",
            "Variants:two: Training:Epochs:Max: 'Training:Epochs' is a value, not a section.",
            "Variants:two: Model:Hidden:9: 'Model:Hidden' has no element '9'.",
        }));
    }

    [TestCase("..", "_.")]
    [TestCase(".", "_")]
    [TestCase(".hidden", "_hidden")]
    public void AFolderNeverLeavesTheVariantsFolder(string name, string expected) =>
        Assert.That(ExperimentSpecParser.Folder(name), Is.EqualTo(expected));

    [Test]
    public void ADuplicatedKeyIsOneClearError()
    {
        var source = RecipeSource.FromText("""{ "Name": "x", "Variants": { "a": { }, "a": { } } }""", "dup.json");

        var error = Assert.Throws<RecipeException>(() => ExperimentSpecParser.IsExperiment(source));

        Assert.That(error!.Message, Does.StartWith("Recipe 'dup.json' is not valid JSON: ").And.Contain("'a'"));
    }
}
