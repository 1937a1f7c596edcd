using Trainer.Data;
using Trainer.Recipes;
using Trainer.Runs;
using static TorchSharp.torch;

namespace Trainer.Tests.Data;

/// <summary>The csv source's tables (<c>Data:Target</c>), all through <see cref="DataPipeline.Load"/>.</summary>
public sealed class CsvTableTests
{
    private const string Train = """
        width,color,height,species
        1.5,red,10,setosa
        2.5,blue,20,virginica
        3.5,red,30,setosa
        4.5,blue,40,versicolor
        """;

    /// <summary>Options reading train.csv (and test.csv) with no validation split and no normalisation: the splits are the files, in order.</summary>
    private static DataOptions Table(string target = "species", string? testPath = "test.csv") =>
        new() { Source = "csv", Path = "train.csv", TestPath = testPath, Target = target, ValidationFraction = 0, TestFraction = 0.5, Normalize = "none" };

    private static float[][] Rows(Dataset data) =>
        [.. Enumerable.Range(0, (int)data.Count).Select(i => data.Features[i].data<float>().ToArray())];

    [Test]
    public void TheTargetIsNamedByItsHeaderAndItsNamesBecomeClassesInOrdinalOrder()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        folder.Write("test.csv", "species,height,color,width\nvirginica,5,blue,0.5\n");

        using var splits = DataPipeline.Load(Table(), folder.Path, seed: 1);

        Assert.That(splits.Train.ClassNames, Is.EqualTo(new[] { "setosa", "versicolor", "virginica" }));
        Assert.That((splits.Train.ClassCount, splits.Train.Labels.dtype), Is.EqualTo((3, ScalarType.Int64)));
        Assert.That(splits.Train.Labels.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 2, 0, 1 }));
        Assert.That(splits.Table!.Features, Is.EqualTo(new[] { "width", "color=blue", "color=red", "height" }));
        Assert.That(Rows(splits.Train), Is.EqualTo(new[]
        {
            new[] { 1.5f, 0, 1, 10 }, [2.5f, 1, 0, 20], [3.5f, 0, 1, 30], [4.5f, 1, 0, 40],
        }));
        Assert.That(Rows(splits.Test), Is.EqualTo(new[] { new[] { 0.5f, 1, 0, 5 } }), "the test file's columns are matched by name");
        Assert.That(splits.Test.Labels.data<long>().ToArray(), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void ANumericTargetGivesFloat32ValuesAndNoClasses()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        folder.Write("test.csv", "width,color,height,species\n0.5,blue,-7.25,setosa\n");

        using var splits = DataPipeline.Load(Table(target: "height"), folder.Path, seed: 1, task: new TaskOptions { Kind = "regression", StandardizeTarget = false });

        Assert.That((splits.Train.Labels.dtype, splits.Train.ClassCount, splits.Train.ClassNames), Is.EqualTo((ScalarType.Float32, 0, (IReadOnlyList<string>?)null)));
        Assert.That(splits.Train.Labels.data<float>().ToArray(), Is.EqualTo(new[] { 10f, 20f, 30f, 40f }));
        Assert.That(splits.Test.Labels.data<float>().ToArray(), Is.EqualTo(new[] { -7.25f }));
        Assert.That(splits.Table!.Features, Is.EqualTo(new[] { "width", "color=blue", "color=red", "species=setosa", "species=versicolor", "species=virginica" }));
        Assert.That((splits.Table.Target, splits.Table.Classes), Is.EqualTo(("height", (IReadOnlyList<string>?)null)));
    }

    [Test]
    public void FeaturesSelectAndOrderTheColumns()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        folder.Write("test.csv", "width,color,height,species\n0.5,green,5,setosa\n");
        var options = Table();
        options.Features = ["height", "width"];

        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        Assert.That(splits.Table!.Features, Is.EqualTo(new[] { "height", "width" }), "color is not used, so its unseen 'green' is no error");
        Assert.That(Rows(splits.Train)[1], Is.EqualTo(new[] { 20f, 2.5f }));
        Assert.That(Rows(splits.Test)[0], Is.EqualTo(new[] { 5f, 0.5f }));
    }

    [Test]
    public void CategoricalColumnsCanBeNamedEvenWhenTheirValuesAreNumbers()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", "zip,size,label\n75001,1,a\n10115,2,b\n75001,3,a\n");
        folder.Write("test.csv", "zip,size,label\n10115,4,b\n");
        var options = Table(target: "label");
        options.Categorical = ["zip"];

        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        Assert.That(splits.Table!.Features, Is.EqualTo(new[] { "zip=10115", "zip=75001", "size" }));
        Assert.That(Rows(splits.Test)[0], Is.EqualTo(new[] { 1f, 0f, 4f }));
    }

    [Test]
    public void CategoriesAreFittedOnTheTrainingRowsOfTheSplitOnly()
    {
        using var folder = new TempFolder();
        // Every row has a category of its own: the categories are exactly those of the rows the split puts in training.
        folder.Write("train.csv", "id,x,label\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"c{i:D2},{i},{(i % 2 == 0 ? "even" : "odd")}")));
        var options = new DataOptions
        {
            Source = "csv", Path = "train.csv", Target = "label", UnseenCategory = "zeros", ValidationFraction = 0.25, TestFraction = 0.2, Normalize = "none",
        };
        using var plan = SplitPlan.Make(40, ownTest: false, options, seed: 4);
        var trainingIds = plan.Train!.data<long>().ToArray().Select(i => $"c{i:D2}").Order(StringComparer.Ordinal).ToArray();

        using var splits = DataPipeline.Load(options, folder.Path, seed: 4);

        Assert.That(trainingIds, Has.Length.EqualTo(24));
        Assert.That(splits.Table!.Columns[0].Categories, Is.EqualTo(trainingIds));
        Assert.That(splits.Train.Features[.., ..24].sum(1).data<float>().ToArray(), Is.All.EqualTo(1f), "each training row is one of the categories");
        Assert.That(splits.Validation!.Features[.., ..24].abs().sum().item<float>(), Is.Zero, "validation rows' categories are unseen: all zeros");
        Assert.That(splits.Test.Features[.., ..24].abs().sum().item<float>(), Is.Zero, "test rows' categories are unseen: all zeros");
        Assert.That(splits.Train.Features[.., 24].data<float>().ToArray().Order(), Is.EqualTo(plan.Train.data<long>().ToArray().Select(i => (float)i).Order()),
            "the numeric column x = the row number lands in the same rows");
    }

    [Test]
    public void AnUnseenCategoryIsAnErrorNamingTheFileRowAndColumn()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        var test = folder.Write("test.csv", "width,color,height,species\n0.5,red,5,setosa\n0.7,green,6,setosa\n");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(Table(), folder.Path, seed: 1));

        Assert.That(error!.Errors, Is.EqualTo(new[]
        {
            $"Data file '{test}' row 2 (line 3), column 'color': category 'green' does not occur in the training rows (they have: blue, red); " +
            "set Data:UnseenCategory to \"zeros\" to encode it as all zeros.",
        }));
    }

    [Test]
    public void AnUnseenCategoryBecomesZerosWhenAsked()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        folder.Write("test.csv", "width,color,height,species\n0.7,green,6,setosa\n");
        var options = Table();
        options.UnseenCategory = "zeros";

        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        Assert.That(Rows(splits.Test)[0], Is.EqualTo(new[] { 0.7f, 0f, 0f, 6f }));
    }

    [Test]
    public void AMissingValueIsAnErrorNamingTheFileRowAndColumn()
    {
        using var folder = new TempFolder();
        var train = folder.Write("train.csv", "a,b,label\n1,2,x\n3,,y\n");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(Table(target: "label", testPath: null), folder.Path, seed: 1));

        Assert.That(error!.Errors, Is.EqualTo(new[]
        {
            $"Data file '{train}' row 2 (line 3), column 'b': the value is missing; fill it in, or set Data:MissingValues to \"mean\" to impute the training rows' mean.",
        }));
    }

    [Test]
    public void MeanImputationUsesTheTrainingRowsMeanAndCategoryFrequencies()
    {
        using var folder = new TempFolder();
        // Training x: 1, (missing), 5, 6 → mean 4; colour: red, red, blue, (missing) → blue 1/3, red 2/3.
        folder.Write("train.csv", "x,colour,label\n1,red,a\n,red,b\n5,blue,a\n6,,b\n");
        folder.Write("test.csv", "x,colour,label\n,,a\n100,red,b\n");
        var options = Table(target: "label");
        options.MissingValues = "mean";

        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        Assert.That(splits.Table!.Columns.Select(c => c.Mean), Is.EqualTo(new double?[] { 4, null }));
        Assert.That(Rows(splits.Train), Is.EqualTo(new[] { new[] { 1f, 0, 1 }, [4f, 0, 1], [5f, 1, 0], [6f, 1f / 3, 2f / 3] }).Within(1e-6));
        Assert.That(Rows(splits.Test), Is.EqualTo(new[] { new[] { 4f, 1f / 3, 2f / 3 }, [100f, 0, 1] }).Within(1e-6),
            "the test file's 100 does not move the mean");
    }

    [Test]
    public void QuotedFieldsMayHoldTheDelimiterQuotesAndLineBreaks()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", "name,x,label\n\"Smith, John\",1,a\n\"two\nlines\",2,b\n\"say \"\"hi\"\"\",3,a\n");
        folder.Write("test.csv", "name,x,label\n\"Smith, John\",4,b\nnobody,5,a\n");
        var options = Table(target: "label");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(options, folder.Path, seed: 1));
        options.UnseenCategory = "zeros";
        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        Assert.That(splits.Table!.Columns[0].Categories, Is.EqualTo(new[] { "Smith, John", "say \"hi\"", "two\nlines" }));
        Assert.That(Rows(splits.Test)[0], Is.EqualTo(new[] { 1f, 0, 0, 4 }));
        Assert.That(error!.Message, Does.Contain("row 2 (line 3), column 'name': category 'nobody' does not occur in the training rows " +
                                                 "(they have: Smith, John, say \"hi\", two\\u000alines)"), "one line: a line break inside a value is escaped");
    }

    [Test]
    public void TheLineOfARowAfterAQuotedLineBreakIsCounted()
    {
        using var folder = new TempFolder();
        var train = folder.Write("train.csv", "name,x,label\n\"two\nlines\",1,a\n\"two\nlines\",,a\n");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(Table(target: "label", testPath: null), folder.Path, seed: 1));

        Assert.That(error!.Message, Does.StartWith($"Data file '{train}' row 2 (line 4), column 'x': the value is missing"));
    }

    [Test]
    public void ASemicolonDelimiterSplitsTheFields()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", "a;b;label\n1;2,5;x\n3;4;y\n");
        folder.Write("test.csv", "a;b;label\n5;6;x\n");
        var options = Table(target: "label");
        options.Delimiter = ";";
        options.Categorical = [];

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(options, folder.Path, seed: 1));
        Assert.That(error!.Message, Does.EndWith("column 'b': '2,5' is not a number; list 'b' in Data:Categorical to one-hot encode it."),
            "a decimal comma is not a number: the columns listed in Data:Categorical (none) are the only categorical ones");

        folder.Write("train.csv", "a;b;label\n1;2.5;x\n3;4;y\n");
        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);
        Assert.That(Rows(splits.Train), Is.EqualTo(new[] { new[] { 1f, 2.5f }, [3f, 4f] }));
    }

    [Test]
    public void AHeaderlessFileKeepsItsLabelsAndReadsTheDelimiter()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", "1;2;0\n3;4;1\n5;6;1\n");
        var options = new DataOptions { Source = "csv", Path = "train.csv", Delimiter = ";", ValidationFraction = 0, TestFraction = 0.34, Normalize = "none" };

        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        Assert.That((splits.Train.Labels.dtype, splits.Train.ClassCount, splits.Table), Is.EqualTo((ScalarType.Int64, 2, (TableSchema?)null)));
        Assert.That(splits.Train.Count + splits.Test.Count, Is.EqualTo(3));
    }

    [Test]
    public void AnUnknownTargetOrFeatureColumnIsOneLineListingTheFilesColumns()
    {
        using var folder = new TempFolder();
        var train = folder.Write("train.csv", Train);
        folder.Write("test.csv", Train);
        var unknownTarget = Table(target: "Species");
        var unknownFeature = Table();
        unknownFeature.Features = ["width", "colour"];

        var target = Assert.Throws<RecipeException>(() => DataPipeline.Load(unknownTarget, folder.Path, seed: 1));
        var feature = Assert.Throws<RecipeException>(() => DataPipeline.Load(unknownFeature, folder.Path, seed: 1));

        Assert.That(target!.Errors, Is.EqualTo(new[] { $"Data:Target 'Species' is not a column of '{train}'; its columns are: width, color, height, species." }));
        Assert.That(feature!.Errors, Is.EqualTo(new[] { $"Data:Features 'colour' is not a column of '{train}'; its columns are: width, color, height, species." }));
    }

    [Test]
    public void ATestFileWithoutAColumnIsNamed()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        var test = folder.Write("test.csv", "width,height,species\n1,2,setosa\n");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(Table(), folder.Path, seed: 1));

        Assert.That(error!.Errors, Is.EqualTo(new[] { $"Data:TestPath '{test}' has no column 'color'; its columns are: width, height, species." }));
    }

    [Test]
    public void ARowWithTheWrongNumberOfFieldsIsNamed()
    {
        using var folder = new TempFolder();
        var train = folder.Write("train.csv", "a,b,label\n1,2,x\n3,4,5,y\n");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(Table(target: "label", testPath: null), folder.Path, seed: 1));

        Assert.That(error!.Errors, Is.EqualTo(new[]
        {
            $"Data file '{train}' row 2 (line 3) has 4 fields where the header has 3; check Data:Delimiter (',') and the quoting.",
        }));
    }

    [Test]
    public void ANumericTargetIsARegressionTargetAndAsClassesOnlyWhenItsValuesAreClassIndices()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        folder.Write("test.csv", Train);
        var recipe = new RecipeOptions
        {
            Data = Table(target: "height"), Task = new TaskOptions { Kind = "regression" }, Training = new TrainingOptions { Epochs = 1, Device = "cpu" },
        };

        using (var setup = Trainer.Training.TrainingSetup.Create(recipe, folder.Path))
        {
            Assert.That(setup.Task.Outputs, Is.EqualTo(1));
            Assert.That(setup.Task.TargetScaling!.Mean[0], Is.EqualTo(25).Within(1e-9), "heights 10, 20, 30, 40");
        }

        recipe.Data = Table(target: "width");
        recipe.Task = new TaskOptions { Kind = "classification" };
        var error = Assert.Throws<RecipeException>(() => Trainer.Training.TrainingSetup.Create(recipe, folder.Path));
        Assert.That(error!.Message, Is.EqualTo("Task:Kind 'classification' needs class labels (0, 1, 2, … or names); Data:Source 'csv' has the target 1.5 " +
                                               "(example 0). Use Task:Kind 'regression' to predict a number."));
    }

    [Test]
    public void TheSchemaIsWrittenToTableJsonAndReadBack()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", Train);
        folder.Write("test.csv", Train);
        using var splits = DataPipeline.Load(Table(), folder.Path, seed: 1);

        TableSchemaFile.Write(folder.Path, splits.Table!);
        var read = TableSchemaFile.Read(folder.Path);

        Assert.That(File.ReadAllText(folder.File(RunFiles.Table)), Does.Contain("\"features\": [").And.Contain("\"color=blue\""));
        Assert.That(read.Features, Is.EqualTo(splits.Table!.Features));
        Assert.That(read.Columns.Select(c => (c.Name, c.Categorical, c.Mean)), Is.EqualTo(splits.Table.Columns.Select(c => (c.Name, c.Categorical, c.Mean))));
        Assert.That(read.Columns[1].Categories, Is.EqualTo(new[] { "blue", "red" }));
        Assert.That((read.Target, read.Classes), Is.EqualTo(("species", (IReadOnlyList<string>?)new[] { "setosa", "versicolor", "virginica" })));
    }
}
