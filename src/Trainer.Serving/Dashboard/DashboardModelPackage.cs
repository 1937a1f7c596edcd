using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Trainer.Runs;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// A run's model package (<c>RUN_DIR/model/</c>) as the dashboard serves it: its manifest, and its files by their known
/// names only (<see cref="ModelPackageFiles"/>), never an arbitrary path and never through a symbolic link.
/// </summary>
internal static class DashboardModelPackage
{
    /// <summary>The files a package may hold, with the content type each is served as and whether it is a download.</summary>
    public static readonly IReadOnlyList<(string Name, string ContentType, bool Attachment)> Known =
    [
        (ModelPackageFiles.Manifest, "application/json; charset=utf-8", false),
        (ModelPackageFiles.Weights, "application/octet-stream", true),
        (ModelPackageFiles.PyTorchWeights, "application/octet-stream", true),
        (ModelPackageFiles.PyTorchModule, "text/plain; charset=utf-8", false),
    ];

    /// <summary>The names of <see cref="Known"/>, in order.</summary>
    public static IReadOnlyList<string> Files => Known.Select(k => k.Name).ToList();

    /// <summary>True when the run has a manifest that is a regular file in a folder that is not a link.</summary>
    public static bool Exists(string runDirectory) => Path(runDirectory, ModelPackageFiles.Manifest) is not null;

    /// <summary>The known files that exist, in <see cref="Files"/> order.</summary>
    public static IReadOnlyList<string> PresentFiles(string runDirectory) => Files.Where(f => Path(runDirectory, f) is not null).ToList();

    /// <summary>The manifest's text when it is a JSON object; else null.</summary>
    public static string? Manifest(string runDirectory)
    {
        if (Path(runDirectory, ModelPackageFiles.Manifest) is not { } path) return null;
        try
        {
            if (new FileInfo(path).Length > RunFileCache.MaxBytes) return null;
            var text = File.ReadAllText(path);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The response for <c>GET /api/runs/{id}/model/{file}</c>: the file, or a 404 problem for any other name or a missing file.</summary>
    public static IResult Serve(HttpContext context, string runId, string runDirectory, string file)
    {
        var known = Known.FirstOrDefault(k => string.Equals(k.Name, file, StringComparison.Ordinal));
        if (known.Name is null)
            return DashboardApi.Problem(StatusCodes.Status404NotFound, "No such model file",
                $"A model package has only {string.Join(", ", Files)}; '{file}' is none of them.");
        if (Path(runDirectory, known.Name) is not { } path)
            return DashboardApi.Problem(StatusCodes.Status404NotFound, "No such model file", $"Run '{runId}' has no model/{known.Name}.");
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "no-cache";
        return known.Attachment
            ? Results.File(path, known.ContentType, fileDownloadName: known.Name)
            : Results.File(path, known.ContentType);
    }

    // The full path of a known file when it and the model folder are real (no links) and the file exists; else null.
    private static string? Path(string runDirectory, string name)
    {
        try
        {
            var folder = new DirectoryInfo(System.IO.Path.Combine(runDirectory, RunFiles.Model));
            if (!folder.Exists || folder.LinkTarget is not null) return null;
            var file = new FileInfo(System.IO.Path.Combine(folder.FullName, name));
            return file.Exists && file.LinkTarget is null ? file.FullName : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
