using System.Security.Cryptography;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Tests.Support;

namespace Trainer.Tests.Data;

public sealed class DataSetDownloaderTests
{
    private const string Advice = "Try again later.";
    private static readonly byte[] First = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] Second = "second file"u8.ToArray();

    private static DownloadFile Expected(string name, byte[] bytes) => new(name, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));

    private static readonly DownloadFile[] Manifest = [Expected("a.gz", First), Expected("b.gz", Second)];

    private static DataSetDownloader Downloader(string url) => new(new Uri(url), Manifest) { Advice = Advice };

    [Test]
    public void DownloadsEveryFileWhoseSizeAndHashMatch()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = First, ["b.gz"] = Second });
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "new", "folder");

        var fetched = Downloader(server.Url).Download(target);

        Assert.That(fetched, Is.EqualTo(new[] { "a.gz", "b.gz" }));
        Assert.That(File.ReadAllBytes(Path.Combine(target, "a.gz")), Is.EqualTo(First));
        Assert.That(File.ReadAllBytes(Path.Combine(target, "b.gz")), Is.EqualTo(Second));
        Assert.That(Directory.GetFiles(target).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a.gz", "b.gz" }), "no .partial file is left");
    }

    [Test]
    public void ABaseUrlWithoutATrailingSlashStillGetsTheNamesAppended()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = First, ["b.gz"] = Second });
        using var folder = new TempFolder();

        Downloader(server.Url.TrimEnd('/')).Download(folder.Path);

        Assert.That(server.Requests, Is.EqualTo(new[] { "/files/a.gz", "/files/b.gz" }));
    }

    [Test]
    public void FilesAlreadyPresentAreNotRequestedAgain()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = First, ["b.gz"] = Second });
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("a.gz"), First);

        var fetched = Downloader(server.Url).Download(folder.Path);
        var again = Downloader(server.Url).Download(folder.Path);

        Assert.That(fetched, Is.EqualTo(new[] { "b.gz" }));
        Assert.That(again, Is.Empty);
        Assert.That(server.Requests, Is.EqualTo(new[] { "/files/b.gz" }));
    }

    [Test]
    public void AStalePartialFileFromAnInterruptedRunIsReplaced()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = First, ["b.gz"] = Second });
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("a.gz" + DataSetDownloader.PartialSuffix), [1, 2, 3]);

        Downloader(server.Url).Download(folder.Path);

        Assert.That(File.ReadAllBytes(folder.File("a.gz")), Is.EqualTo(First));
        Assert.That(File.Exists(folder.File("a.gz" + DataSetDownloader.PartialSuffix)), Is.False);
    }

    [Test]
    public async Task AFileAnotherProcessIsDownloadingIsAwaitedNotFetchedAgainOrDeleted()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = First, ["b.gz"] = Second });
        using var folder = new TempFolder();
        var partial = folder.File("a.gz" + DataSetDownloader.PartialSuffix);
        var other = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None); // "another worker" holds it

        var waiting = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var download = Task.Run(() => new DataSetDownloader(new Uri(server.Url), Manifest) { Advice = Advice, WaitingForOtherDownload = name => waiting.TrySetResult(name) }
            .Download(folder.Path));
        Assert.That(await waiting.Task.WaitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo("a.gz"), "it noticed the other download and waits for it");
        Assert.That(download.IsCompleted, Is.False, "it waits while the other download runs");
        Assert.That(File.Exists(partial), Is.True, "the other download's file is left alone");
        await other.WriteAsync(First);
        await other.DisposeAsync();
        File.Move(partial, folder.File("a.gz"));
        await download.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(File.ReadAllBytes(folder.File("a.gz")), Is.EqualTo(First));
        Assert.That(File.ReadAllBytes(folder.File("b.gz")), Is.EqualTo(Second));
        Assert.That(server.Requests.Any(r => r.EndsWith("a.gz", StringComparison.Ordinal)), Is.False, "a.gz was not fetched twice");
    }

    [Test]
    public async Task WhenTheOtherDownloadGivesUpTheErrorSaysToRunAgain()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = First, ["b.gz"] = Second });
        using var folder = new TempFolder();
        var partial = folder.File("a.gz" + DataSetDownloader.PartialSuffix);
        var other = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None);

        var waiting = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var download = Task.Run(() => new DataSetDownloader(new Uri(server.Url), Manifest) { Advice = Advice, WaitingForOtherDownload = name => waiting.TrySetResult(name) }
            .Download(folder.Path));
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await other.DisposeAsync();
        File.Delete(partial);

        var error = Assert.ThrowsAsync<RecipeException>(async () => await download.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(error!.Message, Does.Contain("another process downloading the same file stopped before finishing; run again"));
    }

    [Test]
    public void ATruncatedFileIsRejectedAndNothingIsKept()
    {
        var truncated = First[..^1000];
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = truncated, ["b.gz"] = Second });
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => Downloader(server.Url).Download(folder.Path));

        Assert.That(error!.Message, Is.EqualTo(
            $"The download of a.gz from {server.Url}a.gz is not the expected file: expected 300000 bytes with SHA-256 {Manifest[0].Sha256}, " +
            $"got 299000 bytes with SHA-256 {Convert.ToHexStringLower(SHA256.HashData(truncated))}. It was deleted, not kept. {Advice}"));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty, "neither a.gz nor a.gz.partial is left, and b.gz was not fetched");
    }

    [Test]
    public void AFileWithOneCorruptedByteIsRejectedAndNothingIsKept()
    {
        var corrupted = (byte[])First.Clone();
        corrupted[123_456] ^= 0x01;
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = corrupted, ["b.gz"] = Second });
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => Downloader(server.Url).Download(folder.Path));

        Assert.That(error!.Message, Does.StartWith(
            $"The download of a.gz from {server.Url}a.gz is not the expected file: expected 300000 bytes with SHA-256 {Manifest[0].Sha256}, " +
            $"got 300000 bytes with SHA-256 {Convert.ToHexStringLower(SHA256.HashData(corrupted))}."));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void ALongerFileIsCutOffAtTheExpectedSizeAndRejected()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = [.. First, .. First], ["b.gz"] = Second });
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => Downloader(server.Url).Download(folder.Path));

        Assert.That(error!.Message, Does.Contain($"expected 300000 bytes with SHA-256 {Manifest[0].Sha256}, got more than 300000 bytes. It was deleted, not kept."));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void AMissingFileOnTheServerNamesTheUrlAndTheStatus()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["a.gz"] = First });
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => Downloader(server.Url).Download(folder.Path));

        Assert.That(error!.Message, Is.EqualTo($"Could not download {server.Url}b.gz: the server answered 404 Not Found. {Advice}"));
        Assert.That(Directory.GetFiles(folder.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "a.gz" }), "the verified first file is kept");
    }

    [Test]
    public void AnUnreachableServerNamesTheUrl()
    {
        var url = $"http://127.0.0.1:{LoopbackHttpServer.FreePort()}/files/";
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => Downloader(url).Download(folder.Path));

        Assert.That(error!.Message, Does.StartWith($"Could not download {url}a.gz: Connection refused").And.EndWith(Advice));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void AServerThatNeverAnswersTimesOut()
    {
        using var server = new RawTcpServer("", close: false);
        using var folder = new TempFolder();
        var downloader = new DataSetDownloader(new Uri(server.Url), Manifest) { Advice = Advice, Timeout = TimeSpan.FromSeconds(0.5) };

        var error = Assert.Throws<RecipeException>(() => downloader.Download(folder.Path));

        Assert.That(error!.Message, Is.EqualTo($"Could not download {server.Url}a.gz: no answer within 0.5 s. {Advice}"));
    }

    [Test]
    public void AServerThatStallsMidFileTimesOutAndLeavesNoFile()
    {
        using var server = new RawTcpServer("HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\nsome bytes", close: false);
        using var folder = new TempFolder();
        var downloader = new DataSetDownloader(new Uri(server.Url), Manifest) { Advice = Advice, Timeout = TimeSpan.FromSeconds(0.5) };

        var error = Assert.Throws<RecipeException>(() => downloader.Download(folder.Path));

        Assert.That(error!.Message, Is.EqualTo($"Could not download {server.Url}a.gz: no answer within 0.5 s. {Advice}"));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void AConnectionDroppedMidFileLeavesNoFile()
    {
        using var server = new RawTcpServer("HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\nsome bytes", close: true);
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => Downloader(server.Url).Download(folder.Path));

        Assert.That(error!.Message, Does.StartWith($"Could not download {server.Url}a.gz: ").And.EndWith(Advice));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void OnlyHttpAndHttpsUrlsAreAccepted()
    {
        var error = Assert.Throws<ArgumentException>(() => new DataSetDownloader(new Uri("ftp://example.org/data/"), Manifest));

        Assert.That(error!.Message, Does.StartWith("The base URL 'ftp://example.org/data/' must be an absolute http or https URL."));
    }
}
