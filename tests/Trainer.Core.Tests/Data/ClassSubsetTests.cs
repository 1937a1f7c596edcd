using Trainer.Data;
using Trainer.Recipes;

namespace Trainer.Tests.Data;

public sealed class ClassSubsetTests
{
    private static DataOptions Options(params int[] classes) =>
        new() { Source = "csv", Path = "train.csv", TestPath = "test.csv", ValidationFraction = 0, Normalize = "none", Classes = classes };

    private static (float Feature, long Label)[] Pairs(Dataset data) =>
        data.Features.reshape(-1).data<float>().ToArray().Zip(data.Labels.data<long>().ToArray()).OrderBy(p => p.First).ToArray();

    [Test]
    public void KeepsTheNamedClassesRelabelledInTheOrderGiven()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.csv"), "1,0\n2,1\n3,2\n4,0\n5,2\n");
        File.WriteAllText(folder.File("test.csv"), "6,2\n7,1\n");

        using var splits = DataPipeline.Load(Options(2, 0), folder.Path, seed: 1);

        Assert.That(Pairs(splits.Train), Is.EqualTo(new (float, long)[] { (1, 1), (3, 0), (4, 1), (5, 0) }));
        Assert.That(Pairs(splits.Test), Is.EqualTo(new (float, long)[] { (6, 0) }));
        Assert.That((splits.Train.ClassCount, splits.Test.ClassCount), Is.EqualTo((2, 2)));
    }

    [Test]
    public void DigitsKeepTheirClassCountsAndValidationIsSplitFromTheSubset()
    {
        using var all = DataPipeline.Load(new DataOptions { Source = "digits" }, ".", seed: 3);
        using var two = DataPipeline.Load(new DataOptions { Source = "digits", Classes = [3, 1] }, ".", seed: 3);

        long Count(DataSplits s, long label) =>
            new[] { s.Train, s.Validation!, s.Test }.Sum(d => d.Labels.eq(label).sum().item<long>());
        Assert.That((Count(two, 0), Count(two, 1)), Is.EqualTo((Count(all, 3), Count(all, 1))));
        Assert.That(two.Train.Count + two.Validation!.Count + two.Test.Count, Is.EqualTo(Count(all, 3) + Count(all, 1)));
        Assert.That(two.Train.ClassCount, Is.EqualTo(2));
    }

    [Test]
    public void AClassTheSourceDoesNotHaveIsAnError()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.csv"), "1,0\n2,1\n3,2\n");
        File.WriteAllText(folder.File("test.csv"), "6,2\n");

        var error = Assert.Throws<RecipeException>(() => DataPipeline.Load(Options(0, 5), folder.Path, seed: 1).Dispose())!;

        Assert.That(error.Message, Is.EqualTo("Data:Classes:1 is 5, but Data:Source 'csv' has classes 0 to 2."));
    }

    [Test]
    public void TheRecipeMustNameTwoDistinctClasses()
    {
        var recipe = TestTraining.Digits();
        recipe.Data.Classes = [4, 4];

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Data:Classes [4, 4] must list at least two distinct class indices of 0 or more, such as [0, 6]; leave it out to keep every class.",
        }));
    }
}
