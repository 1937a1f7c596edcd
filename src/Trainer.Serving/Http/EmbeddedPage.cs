using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Trainer.Serving.Http;

/// <summary>Serves the files embedded from <c>src/Trainer.Serving/wwwroot/</c> at their paths, <c>index.html</c> at "/".</summary>
internal static class EmbeddedPage
{
    private const string Prefix = "wwwroot/";
    private static readonly Assembly Assembly = typeof(EmbeddedPage).Assembly;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The embedded files by their path under wwwroot ("index.html", "vendor/uPlot.min.js").</summary>
    public static IReadOnlyDictionary<string, string> Files { get; } = Assembly.GetManifestResourceNames()
        .Where(n => n.Replace('\\', '/').StartsWith(Prefix, StringComparison.Ordinal))
        .ToDictionary(n => n.Replace('\\', '/')[Prefix.Length..], n => n, StringComparer.Ordinal);

    public static async Task Serve(HttpContext context, string? path)
    {
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!Files.TryGetValue(name, out var resource))
        {
            if (string.IsNullOrEmpty(path))
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Trainer is serving this run: GET /api/run, /api/run/metrics, /api/run/events; POST /api/run/control.\n").ConfigureAwait(false);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await using var stream = Assembly.GetManifestResourceStream(resource)!;
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
