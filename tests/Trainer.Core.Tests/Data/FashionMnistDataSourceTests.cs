using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;

namespace Trainer.Tests.Data;

[NonParallelizable]
public sealed class FashionMnistDataSourceTests
{
    [Test]
    public void ItIsFoundThroughTrainerData()
    {
        using var folder = new TempFolder();
        var data = Directory.CreateDirectory(Path.Combine(folder.Path, "fashion-mnist")).FullName;
        IdxWriter.WriteDataSet(data, count: 12, gzip: true);
        var previous = Environment.GetEnvironmentVariable(FashionMnistDataSource.DataVariable);
        Environment.SetEnvironmentVariable(FashionMnistDataSource.DataVariable, folder.Path);
        try
        {
            var raw = new FashionMnistDataSource().Load(new DataOptions { Source = "fashion-mnist" });

            Assert.That(raw.Train.Features.shape, Is.EqualTo(new long[] { 12, 1, 4, 4 }));
            Assert.That(raw.Test!.Count, Is.EqualTo(12));
        }
        finally
        {
            Environment.SetEnvironmentVariable(FashionMnistDataSource.DataVariable, previous);
        }
    }

    [Test]
    public void WhenMissingTheMessageSaysWhereItLookedAndHowToGetIt()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => new FashionMnistDataSource().Load(new DataOptions { Source = "fashion-mnist", Path = folder.Path }));

        Assert.That(error!.Message, Does.StartWith($"Fashion-MNIST was not found; looked in {folder.Path}. Put the four IDX files")
            .And.EndWith("set Data:Path or $TRAINER_DATA, or on Debian run 'apt-get install dataset-fashion-mnist'."));
    }

    [Test]
    public void TheDefaultFoldersIncludeTheDebianPackagesPlace()
    {
        Assert.That(FashionMnistDataSource.DefaultFolders(), Has.Member("/usr/share/datasets/fashion-mnist"));
        Assert.That(FashionMnistDataSource.DefaultFolders(), Has.Some.EndWith(Path.Combine(".trainer", "data", "fashion-mnist")));
    }
}
