using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;
using static TorchSharp.torch;

namespace Trainer.Tests.Data;

public sealed class DataPipelineTests
{
    [Test]
    public void NormalisationUsesTrainingStatisticsOnly()
    {
        using var folder = new TempFolder();
        // Training feature values 1, 2, 3, 6 (mean 3, population σ √3.5); test values far away.
        File.WriteAllText(folder.File("train.csv"), "x,y,label\n1,10,0\n2,10,1\n3,10,0\n6,10,1\n");
        File.WriteAllText(folder.File("test.csv"), "100,50,0\n-100,0,1\n");
        var options = new DataOptions { Source = "csv", Path = "train.csv", TestPath = "test.csv", ValidationFraction = 0 };

        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        var sigma = Math.Sqrt(3.5);
        Assert.That(splits.Normalization!.Mean.data<float>().ToArray(), Is.EqualTo(new[] { 3f, 10f }).Within(1e-6));
        Assert.That(splits.Normalization.Std.data<float>().ToArray(), Is.EqualTo(new[] { (float)sigma, 1f }).Within(1e-6),
            "a constant feature keeps σ = 1 so it is only centred");
        Assert.That(splits.Test.Features.data<float>().ToArray(),
            Is.EqualTo(new[] { (float)(97 / sigma), 40f, (float)(-103 / sigma), -10f }).Within(1e-4));
        Assert.That(splits.Train.Features.mean([0L]).data<float>().ToArray(), Is.EqualTo(new[] { 0f, 0f }).Within(1e-6));
    }

    [Test]
    public void DigitsSplitIntoTrainValidationAndTestByFraction()
    {
        using var splits = DataPipeline.Load(new DataOptions { Source = "digits", ValidationFraction = 0.15, TestFraction = 0.2 }, ".", seed: 3);

        Assert.That(splits.Test.Count, Is.EqualTo(359));
        Assert.That(splits.Validation!.Count, Is.EqualTo(216));
        Assert.That(splits.Train.Count, Is.EqualTo(1797 - 359 - 216));
        Assert.That(splits.Train.FeatureShape, Is.EqualTo(new long[] { 1, 8, 8 }));
        Assert.That(splits.Train.ClassCount, Is.EqualTo(10));
        Assert.That(splits.Train.Labels.dtype, Is.EqualTo(ScalarType.Int64));
    }

    [Test]
    public void TheSameSeedGivesTheSameSplit()
    {
        var options = new DataOptions { Source = "digits", Normalize = "none" };
        using var a = DataPipeline.Load(options, ".", seed: 5);
        using var b = DataPipeline.Load(options, ".", seed: 5);
        using var c = DataPipeline.Load(options, ".", seed: 6);

        Assert.That(a.Test.Labels.data<long>().ToArray(), Is.EqualTo(b.Test.Labels.data<long>().ToArray()));
        Assert.That(a.Test.Labels.data<long>().ToArray(), Is.Not.EqualTo(c.Test.Labels.data<long>().ToArray()));
    }

    [Test]
    public void RelativePathsResolveAgainstTheGivenFolder()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("rows.csv"), string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")));

        using var splits = DataPipeline.Load(new DataOptions { Source = "csv", Path = "rows.csv", ValidationFraction = 0.25 }, folder.Path, seed: 1);

        Assert.That(splits.Train.Count + splits.Validation!.Count + splits.Test.Count, Is.EqualTo(20));
    }

    [Test]
    public void AMissingCsvFileIsNamedWithItsField()
    {
        var missing = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "nonexistent", "rows.csv"));
        var error = Assert.Throws<RecipeException>(() =>
            DataPipeline.Load(new DataOptions { Source = "csv", Path = missing }, ".", seed: 1));

        Assert.That(error!.Message, Is.EqualTo($"Data:Path file '{missing}' does not exist."));
    }

    [Test]
    public void AFolderGivenAsTheCsvFileIsNamedAsAFolder()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(new DataOptions { Source = "csv", Path = folder.Path }, ".", seed: 1));

        Assert.That(error!.Message, Is.EqualTo($"Data:Path '{folder.Path}' is a folder; give the CSV file."));
    }

    [Test]
    public void ATestLabelTheTrainingDataNeverShowsIsReportedBeforeTraining()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.csv"), "1,0\n2,1\n3,2\n4,0\n");
        File.WriteAllText(folder.File("test.csv"), "1,3\n");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(
            new DataOptions { Source = "csv", Path = "train.csv", TestPath = "test.csv", ValidationFraction = 0 }, folder.Path, seed: 1));

        Assert.That(error!.Message, Is.EqualTo("Data: the test split has class 3, which the training data never shows (its classes are 0 to 2); check the files of Data:Source 'csv'."));
    }

    [Test]
    public void WithAValidationSplitTheStatisticsAreStillTheTrainingSplitsAlone()
    {
        var raw = new DataOptions { Source = "digits", ValidationFraction = 0.3, Normalize = "none" };
        var normalized = new DataOptions { Source = "digits", ValidationFraction = 0.3, Normalize = "per-feature" };
        using var before = DataPipeline.Load(raw, ".", seed: 8);
        using var after = DataPipeline.Load(normalized, ".", seed: 8);

        using var trainMean = before.Train.Features.mean([0L]);
        using var validationMean = before.Validation!.Features.mean([0L]);
        Assert.That(after.Normalization!.Mean.allclose(trainMean, rtol: 0, atol: 1e-6), Is.True, "μ is the training split's");
        Assert.That(after.Normalization.Mean.allclose(validationMean, rtol: 0, atol: 1e-3), Is.False, "and not the validation split's");
        using var expected = (before.Validation.Features - after.Normalization.Mean) / after.Normalization.Std;
        Assert.That(after.Validation!.Features.allclose(expected, rtol: 0, atol: 1e-5), Is.True, "validation is transformed with training statistics");
    }

    [Test]
    public void TrainLimitShrinksOnlyTheTrainingSplit()
    {
        using var splits = DataPipeline.Load(new DataOptions { Source = "digits", ValidationFraction = 0.15, TestFraction = 0.2, TrainLimit = 50 }, ".", seed: 3);

        Assert.That(splits.Train.Count, Is.EqualTo(50));
        Assert.That(splits.Validation!.Count, Is.EqualTo(216));
        Assert.That(splits.Test.Count, Is.EqualTo(359));
    }

    [Test]
    public void TrainLimitTakesTheSameExamplesForTheSameSeed()
    {
        var options = new DataOptions { Source = "digits", Normalize = "none", TrainLimit = 40 };
        using var a = DataPipeline.Load(options, ".", seed: 5);
        using var b = DataPipeline.Load(options, ".", seed: 5);
        using var c = DataPipeline.Load(options, ".", seed: 6);

        Assert.That(a.Train.Features.data<float>().ToArray(), Is.EqualTo(b.Train.Features.data<float>().ToArray()));
        Assert.That(a.Train.Labels.data<long>().ToArray(), Is.EqualTo(b.Train.Labels.data<long>().ToArray()));
        Assert.That(a.Train.Features.data<float>().ToArray(), Is.Not.EqualTo(c.Train.Features.data<float>().ToArray()));
    }

    [Test]
    public void TrainLimitDoesNotChangeTheValidationAndTestExamples()
    {
        using var full = DataPipeline.Load(new DataOptions { Source = "digits", Normalize = "none" }, ".", seed: 7);
        using var limited = DataPipeline.Load(new DataOptions { Source = "digits", Normalize = "none", TrainLimit = 10 }, ".", seed: 7);

        Assert.That(limited.Validation!.Features.data<float>().ToArray(), Is.EqualTo(full.Validation!.Features.data<float>().ToArray()));
        Assert.That(limited.Test.Features.data<float>().ToArray(), Is.EqualTo(full.Test.Features.data<float>().ToArray()));
    }

    [Test]
    public void TrainLimitPicksARandomSubsetEvenWhenNothingWasShuffled()
    {
        using var folder = new TempFolder();
        // Rows in order, no validation split and a separate test file: the training split is still in file order.
        File.WriteAllText(folder.File("train.csv"), string.Join("\n", Enumerable.Range(0, 100).Select(i => $"{i},{i % 2}")));
        File.WriteAllText(folder.File("test.csv"), "0,0\n1,1\n");
        var options = new DataOptions { Source = "csv", Path = "train.csv", TestPath = "test.csv", ValidationFraction = 0, Normalize = "none", TrainLimit = 10 };

        using var splits = DataPipeline.Load(options, folder.Path, seed: 1);

        var rows = splits.Train.Features.data<float>().ToArray();
        Assert.That(rows, Has.Length.EqualTo(10).And.Unique);
        Assert.That(rows, Is.Not.EqualTo(Enumerable.Range(0, 10).Select(i => (float)i).ToArray()));
    }

    [Test]
    public void ATrainLimitAboveTheTrainingSplitKeepsItAll()
    {
        using var splits = DataPipeline.Load(new DataOptions { Source = "digits", TrainLimit = 100_000 }, ".", seed: 3);

        Assert.That(splits.Train.Count, Is.EqualTo(1797 - 359 - 216));
    }

    [Test]
    public void WithTrainLimitTheStatisticsAreThoseOfTheLimitedTrainingSplit()
    {
        using var raw = DataPipeline.Load(new DataOptions { Source = "digits", Normalize = "none", TrainLimit = 30 }, ".", seed: 9);
        using var normalized = DataPipeline.Load(new DataOptions { Source = "digits", Normalize = "per-feature", TrainLimit = 30 }, ".", seed: 9);

        using var limitedMean = raw.Train.Features.mean([0L]);
        Assert.That(normalized.Normalization!.Mean.allclose(limitedMean, rtol: 0, atol: 1e-5), Is.True);
        using var trainMean = normalized.Train.Features.mean([0L]);
        Assert.That(trainMean.abs().max().item<float>(), Is.LessThan(1e-5f), "the limited training split is centred");
    }

    [Test]
    public void ATrainLimitBelowOneIsRefusedWhenCalledDirectly()
    {
        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(new DataOptions { Source = "digits", TrainLimit = 0 }, ".", seed: 1));

        Assert.That(error!.Message, Is.EqualTo("Data:TrainLimit must be at least 1 (got 0); leave it out to train on the whole training split."));
    }

    [TestCase("1,2,0\n1,x,1\n", "line 2 column 2: 'x' is not a finite number.")]
    [TestCase("1,2,0\n1,2\n", "line 2: 2 columns where earlier rows have 3.")]
    [TestCase("1,2,0\n1,2,-1\n", "line 2: label '-1' is not a class index (0, 1, 2, ...).")]
    [TestCase("1,2,0\n1,2,0.5\n", "line 2: label '0.5' is not a class index (0, 1, 2, ...).")]
    public void CsvProblemsNameTheLine(string text, string expected)
    {
        var error = Assert.Throws<RecipeException>(() => NumericCsv.Read(new StringReader(text), "rows.csv"));

        Assert.That(error!.Message, Is.EqualTo("Data file 'rows.csv' " + expected));
    }
}
