using System.Globalization;
using System.Security.Cryptography;
using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// Downloads the files of a data set into a folder. Each file is streamed to <c>NAME.partial</c> in that folder, checked
/// against its exact size and SHA-256, and only then renamed to its final name, so a partial or altered download never
/// passes for the data set. A file whose final name already exists in the folder is kept and not fetched again.
/// </summary>
public sealed class DataSetDownloader
{
    /// <summary>The suffix of a file while it is being downloaded.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Creates a downloader for <paramref name="files"/>, found at <paramref name="baseUrl"/> followed by their names.</summary>
    /// <param name="baseUrl">An absolute http or https URL; a trailing slash is added when it has none.</param>
    /// <param name="files">The files to fetch, in order, with their expected sizes and SHA-256.</param>
    public DataSetDownloader(Uri baseUrl, IReadOnlyList<DownloadFile> files)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The base URL '{baseUrl}' must be an absolute http or https URL.", nameof(baseUrl));
        BaseUrl = baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Files = files;
    }

    /// <summary>The URL the file names are appended to, ending with a slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The files to fetch, with their expected sizes and SHA-256.</summary>
    public IReadOnlyList<DownloadFile> Files { get; }

    /// <summary>
    /// How long to wait for a connection, for the response headers, and for each further chunk of a body before giving
    /// up; a slow but steady download is not cut off. Default: 60 seconds.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The sentence ending every error message: how else to get the files. Default: a suggestion to put the files in the
    /// folder by hand.
    /// </summary>
    public string Advice { get; init; } = "Check the network and the URL, or put the files in the folder yourself.";

    /// <summary>
    /// Called with a file's name when another process is already downloading it and this one starts waiting for that
    /// download instead (e.g. to log it). Default: nothing.
    /// </summary>
    public Action<string>? WaitingForOtherDownload { get; init; }

    /// <summary>
    /// Downloads every file whose final name is missing from <paramref name="folder"/>, creating the folder if needed.
    /// Blocks until done; throws <see cref="RecipeException"/> naming the URL (and, for a mismatch, the expected and
    /// actual size and SHA-256) when a file cannot be fetched or is not the expected one.
    /// </summary>
    /// <param name="folder">Where the files go; a file whose name is already there is not fetched.</param>
    /// <returns>The names of the files fetched, in order; empty when all were present.</returns>
    public IReadOnlyList<string> Download(string folder)
    {
        var missing = Files.Where(f => !File.Exists(Path.Combine(folder, f.Name))).ToList();
        if (missing.Count == 0) return [];
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"Could not create the download folder '{folder}': {e.Message} Choose a folder you can write to.", e);
        }

        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = Timeout }) { Timeout = Timeout };
        foreach (var file in missing)
        {
            // The caller (a data source's Load) is synchronous; Task.Run keeps any synchronization context out of the awaits.
            Task.Run(() => FetchAsync(client, file, Path.Combine(folder, file.Name))).GetAwaiter().GetResult();
        }
        return missing.Select(f => f.Name).ToList();
    }

    private async Task FetchAsync(HttpClient client, DownloadFile file, string target)
    {
        var url = new Uri(BaseUrl, Uri.EscapeDataString(file.Name));
        var partial = target + PartialSuffix;
        FileStream output;
        try
        {
            // OpenOrCreate, then truncate once the lock is held: a second process must not truncate the first one's file.
            output = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            output.SetLength(0);
        }
        catch (IOException) when (File.Exists(partial))
        {
            // Another process (a search worker) is downloading this file: wait for it instead of fighting over the file.
            WaitingForOtherDownload?.Invoke(file.Name);
            await WaitForOtherDownloadAsync(target, partial, url).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"Could not write '{partial}': {e.Message} Choose a folder you can write to.", e);
        }
        // Only the process that holds the partial file ever deletes or renames it.
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw Failed(url, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var (size, sha256) = await CopyAsync(body, output, partial, file.Size, url).ConfigureAwait(false);
                if (size != file.Size || !string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    var got = sha256 is null ? $"more than {N(file.Size)} bytes" : $"{N(size)} bytes with SHA-256 {sha256}";
                    throw new RecipeException(
                        $"The download of {file.Name} from {url} is not the expected file: expected {N(file.Size)} bytes with SHA-256 " +
                        $"{file.Sha256.ToLowerInvariant()}, got {got}. It was deleted, not kept. {Advice}");
                }
            }
            await output.DisposeAsync().ConfigureAwait(false); // flushed and closed before the rename
            File.Move(partial, target, overwrite: true);
        }
        catch (HttpRequestException e)
        {
            throw Failed(url, e.Message, e);
        }
        catch (OperationCanceledException e)
        {
            throw Failed(url, $"no answer within {Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s", e);
        }
        finally
        {
            await output.DisposeAsync().ConfigureAwait(false);
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    private async Task WaitForOtherDownloadAsync(string target, string partial, Uri url)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(target))
        {
            if (!File.Exists(partial)) throw Failed(url, "another process downloading the same file stopped before finishing; run again");
            if (waited.Elapsed > 10 * Timeout) throw Failed(url, $"another process has been downloading it for {waited.Elapsed.TotalMinutes:0} min");
            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    // Streams the body to the partial file, hashing as it goes; stops reading one byte past the expected size (the
    // hash is then null) so a wrong URL cannot fill the disk.
    private async Task<(long Size, string? Sha256)> CopyAsync(Stream body, FileStream output, string partial, long expectedSize, Uri url)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var idle = new CancellationTokenSource();
        var buffer = new byte[81920];
        long size = 0;
        {
            while (true)
            {
                idle.CancelAfter(Timeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw Failed(url, e.Message, e);
                }
                if (read == 0) break;
                size += read;
                if (size > expectedSize) return (size, null);
                hash.AppendData(buffer, 0, read);
                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new RecipeException($"Could not write '{partial}': {e.Message} Free some space or choose another folder.", e);
                }
            }
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private RecipeException Failed(Uri url, string reason, Exception? inner = null) =>
        new($"Could not download {url}: {reason}. {Advice}", inner);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
