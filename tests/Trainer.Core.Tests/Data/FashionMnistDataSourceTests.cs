using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;

namespace Trainer.Tests.Data;

[NonParallelizable]
public sealed class FashionMnistDataSourceTests
{
    private const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] Names =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    [Test]
    public void ItIsFoundThroughTrainerData()
    {
        using var folder = new TempFolder();
        var data = Directory.CreateDirectory(Path.Combine(folder.Path, "fashion-mnist")).FullName;
        IdxWriter.WriteDataSet(data, count: 12, gzip: true);
        using var variable = new TrainerDataVariable(folder.Path);

        var raw = new FashionMnistDataSource().Load(new DataOptions { Source = "fashion-mnist" });

        Assert.That(raw.Train.Features.shape, Is.EqualTo(new long[] { 12, 1, 4, 4 }));
        Assert.That(raw.Test!.Count, Is.EqualTo(12));
    }

    [Test]
    public void WhenMissingTheMessageSaysWhereItLookedAndHowToGetIt()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => new FashionMnistDataSource().Load(new DataOptions { Source = "fashion-mnist", Path = folder.Path }));

        Assert.That(error!.Message, Does.StartWith($"Fashion-MNIST was not found; looked in {folder.Path}. Put the four IDX files")
            .And.EndWith("set Data:Path or $TRAINER_DATA, on Debian run 'apt-get install dataset-fashion-mnist', " +
                         "or set Data:Download=true to fetch them from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/."));
    }

    [Test]
    public void TheMissingMessageNamesTheConfiguredDownloadUrl()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => new FashionMnistDataSource().Load(
            new DataOptions { Source = "fashion-mnist", Path = folder.Path, DownloadUrl = "https://mirror.example/fmnist/" }));

        Assert.That(error!.Message, Does.EndWith("or set Data:Download=true to fetch them from https://mirror.example/fmnist/."));
    }

    [Test]
    public void TheDefaultFoldersIncludeTheDebianPackagesPlace()
    {
        Assert.That(FashionMnistDataSource.DefaultFolders(), Has.Member(DebianFolder));
        Assert.That(FashionMnistDataSource.DefaultFolders(), Has.Some.EndWith(Path.Combine(".trainer", "data", "fashion-mnist")));
    }

    [Test]
    public void DownloadsGoToDataPathElseTrainerDataElseTheHomeFolder()
    {
        using var folder = new TempFolder();
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".trainer", "data", "fashion-mnist");

        using (new TrainerDataVariable(null))
            Assert.That(FashionMnistDataSource.DownloadFolder(new DataOptions()), Is.EqualTo(home));
        using (new TrainerDataVariable(folder.Path))
        {
            Assert.That(FashionMnistDataSource.DownloadFolder(new DataOptions()), Is.EqualTo(Path.Combine(folder.Path, "fashion-mnist")));
            Assert.That(FashionMnistDataSource.DownloadFolder(new DataOptions { Path = "/data/fm" }), Is.EqualTo("/data/fm"));
        }
    }

    [Test]
    public void WithDownloadTheMissingFilesAreFetchedIntoDataPathAndLoaded()
    {
        using var folder = new TempFolder();
        var (files, manifest) = SyntheticDataSet(folder, count: 9);
        using var server = new LoopbackHttpServer(files);
        var target = Path.Combine(folder.Path, "downloads");
        var options = new DataOptions { Source = "fashion-mnist", Path = target, Download = true, DownloadUrl = server.Url };

        var raw = new FashionMnistDataSource(manifest).Load(options);

        Assert.That(raw.Train.Features.shape, Is.EqualTo(new long[] { 9, 1, 4, 4 }));
        Assert.That(raw.Test!.Count, Is.EqualTo(9));
        Assert.That(Directory.GetFiles(target).Select(Path.GetFileName), Is.EquivalentTo(Names));
        Assert.That(server.Requests, Has.Count.EqualTo(4));
    }

    [Test]
    public void FilesAlreadyDownloadedAreUsedWithoutARequest()
    {
        using var folder = new TempFolder();
        var (files, manifest) = SyntheticDataSet(folder, count: 9);
        using var server = new LoopbackHttpServer(files);
        var options = new DataOptions { Source = "fashion-mnist", Path = Path.Combine(folder.Path, "downloads"), Download = true, DownloadUrl = server.Url };
        new FashionMnistDataSource(manifest).Load(options);
        server.Requests.Clear();

        var raw = new FashionMnistDataSource(manifest).Load(options);

        Assert.That(raw.Train.Count, Is.EqualTo(9));
        Assert.That(server.Requests, Is.Empty);
    }

    [Test]
    public void OnlyTheFilesMissingFromTheDownloadFolderAreFetched()
    {
        using var folder = new TempFolder();
        var (files, manifest) = SyntheticDataSet(folder, count: 9);
        using var server = new LoopbackHttpServer(files);
        var target = Directory.CreateDirectory(Path.Combine(folder.Path, "downloads")).FullName;
        File.WriteAllBytes(Path.Combine(target, Names[0]), files[Names[0]]);

        new FashionMnistDataSource(manifest).Load(new DataOptions { Source = "fashion-mnist", Path = target, Download = true, DownloadUrl = server.Url });

        Assert.That(server.Requests, Is.EqualTo(Names[1..].Select(n => "/files/" + n)));
    }

    [Test]
    public void AFailedDownloadSaysHowElseToGetTheFilesAndKeepsNothing()
    {
        using var folder = new TempFolder();
        var (files, manifest) = SyntheticDataSet(folder, count: 9);
        files.Remove(Names[2]);
        using var server = new LoopbackHttpServer(files);
        var target = Path.Combine(folder.Path, "downloads");
        var options = new DataOptions { Source = "fashion-mnist", Path = target, Download = true, DownloadUrl = server.Url };

        var error = Assert.Throws<RecipeException>(() => new FashionMnistDataSource(manifest).Load(options));

        Assert.That(error!.Message, Is.EqualTo($"Could not download {server.Url}{Names[2]}: the server answered 404 Not Found. " +
            "Check the network and Data:DownloadUrl, or get the files another way: on Debian run 'apt-get install dataset-fashion-mnist', " +
            $"or put the four IDX files in {target} yourself."));
        Assert.That(Directory.GetFiles(target).Select(Path.GetFileName), Is.EquivalentTo(Names[..2]), "only verified files are kept");
    }

    [Test]
    public void ACorruptedDownloadIsNotMistakenForTheDataSet()
    {
        using var folder = new TempFolder();
        var (files, manifest) = SyntheticDataSet(folder, count: 9);
        files[Names[1]] = [.. files[Names[1]]];
        files[Names[1]][^5] ^= 0xFF;
        using var server = new LoopbackHttpServer(files);
        var target = Path.Combine(folder.Path, "downloads");
        var options = new DataOptions { Source = "fashion-mnist", Path = target, Download = true, DownloadUrl = server.Url };

        var error = Assert.Throws<RecipeException>(() => new FashionMnistDataSource(manifest).Load(options));
        var retry = Assert.Throws<RecipeException>(() => new FashionMnistDataSource(manifest).Load(options));

        Assert.That(error!.Message, Does.StartWith($"The download of {Names[1]} from {server.Url}{Names[1]} is not the expected file: expected {manifest[1].Size} bytes"));
        Assert.That(File.Exists(Path.Combine(target, Names[1])), Is.False);
        Assert.That(File.Exists(Path.Combine(target, Names[1] + DataSetDownloader.PartialSuffix)), Is.False);
        Assert.That(retry!.Message, Is.EqualTo(error.Message), "a second run fetches the bad file again instead of loading it");
    }

    [Test]
    public void TheRealDataSetDownloadsVerifiesAndLoadsEndToEnd()
    {
        if (!Names.All(n => File.Exists(Path.Combine(DebianFolder, n))))
            Assert.Ignore($"Needs Debian's Fashion-MNIST in {DebianFolder} ('apt-get install dataset-fashion-mnist').");
        var files = Names.ToDictionary(n => n, n => ZalandoOriginal(n, File.ReadAllBytes(Path.Combine(DebianFolder, n))));
        Assert.That(files.Select(f => (f.Key, (long)f.Value.Length, Convert.ToHexStringLower(SHA256.HashData(f.Value)))),
            Is.EqualTo(FashionMnistDataSource.OriginalFiles.Select(f => (f.Name, f.Size, f.Sha256))),
            "the baked-in sizes and SHA-256 are those of the published files");
        using var server = new LoopbackHttpServer(files);
        using var folder = new TempFolder();

        using var splits = DataPipeline.Load(
            new DataOptions { Source = "fashion-mnist", Path = "downloaded", Download = true, DownloadUrl = server.Url, ValidationFraction = 0, Normalize = "none" },
            folder.Path, seed: 1);

        Assert.That(splits.Train.Features.shape, Is.EqualTo(new long[] { 60_000, 1, 28, 28 }));
        Assert.That(splits.Test.Features.shape, Is.EqualTo(new long[] { 10_000, 1, 28, 28 }));
        Assert.That(splits.Train.ClassCount, Is.EqualTo(10));
        Assert.That(server.Requests, Has.Count.EqualTo(4));
    }

    [Test]
    public void DebiansRepackedFilesAreNotAcceptedAsTheOriginalDownload()
    {
        var path = Path.Combine(DebianFolder, Names[3]);
        if (!File.Exists(path)) Assert.Ignore($"Needs Debian's Fashion-MNIST in {DebianFolder}.");
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { [Names[3]] = File.ReadAllBytes(path) });
        using var folder = new TempFolder();
        var downloader = new DataSetDownloader(new Uri(server.Url), [FashionMnistDataSource.OriginalFiles[3]]);

        var error = Assert.Throws<RecipeException>(() => downloader.Download(folder.Path));

        Assert.That(error!.Message, Does.Contain("expected 5148 bytes with SHA-256 67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5, got 5125 bytes"));
    }

    // Debian's package holds Zalando's files with the gzip header normalised (no file name, the package's build time);
    // the compressed data is unchanged. Restoring the original header (FNAME flag, name, the 2017 timestamps) gives back
    // the published files byte for byte, so the real manifest can be tested without the network.
    private static byte[] ZalandoOriginal(string name, byte[] debian)
    {
        var header = new byte[10];
        debian.AsSpan(0, 10).CopyTo(header);
        header[3] = 0x08;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), name.StartsWith("train", StringComparison.Ordinal) ? 1504176606u : 1504176627u);
        return [.. header, .. Encoding.ASCII.GetBytes(name[..^3]), 0, .. debian.AsSpan(10)];
    }

    private static (Dictionary<string, byte[]> Files, DownloadFile[] Manifest) SyntheticDataSet(TempFolder folder, int count)
    {
        var source = Directory.CreateDirectory(Path.Combine(folder.Path, "source")).FullName;
        IdxWriter.WriteDataSet(source, count, gzip: true);
        var files = Names.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(source, n)));
        var manifest = Names.Select(n => new DownloadFile(n, files[n].Length, Convert.ToHexStringLower(SHA256.HashData(files[n])))).ToArray();
        return (files, manifest);
    }

    private sealed class TrainerDataVariable : IDisposable
    {
        private readonly string? previous = Environment.GetEnvironmentVariable(FashionMnistDataSource.DataVariable);

        public TrainerDataVariable(string? value) => Environment.SetEnvironmentVariable(FashionMnistDataSource.DataVariable, value);

        public void Dispose() => Environment.SetEnvironmentVariable(FashionMnistDataSource.DataVariable, previous);
    }
}
