using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// The dashboard page: <c>index.html</c> at <c>/</c> and its scripts, styles and the vendored uPlot, served from this
/// assembly's embedded <c>wwwroot</c> (no files on disk, no CDN), with a Content-Security-Policy that lets the page talk
/// to its own origin only.
/// </summary>
public static class DashboardPage
{
    /// <summary>The policy sent with every file: scripts, styles and requests from the page's own origin only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Prefix = "wwwroot/";
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Maps <c>GET /</c> and a <c>GET</c> (and <c>HEAD</c>) route for each embedded file below <c>wwwroot/</c>.</summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <returns><paramref name="endpoints"/>, for chaining.</returns>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assembly = typeof(DashboardPage).Assembly;
        var types = new FileExtensionContentTypeProvider();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = resource[Prefix.Length..];
            if (!types.TryGetContentType(path, out var contentType)) contentType = "text/plain";
            if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal))
                contentType += "; charset=utf-8";
            var delegate_ = Serve(assembly, resource, contentType);
            // The page's own files hold no run data, and a browser must load them to ask for the token at all.
            endpoints.MapMethods("/" + path, Methods, delegate_).AllowAnonymous();
            if (path == "index.html") endpoints.MapMethods("/", Methods, delegate_).AllowAnonymous();
        }
        return endpoints;
    }

    private static RequestDelegate Serve(Assembly assembly, string resource, string contentType)
    {
        byte[]? bytes = null;
        return async context =>
        {
            bytes ??= Read(assembly, resource);
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-cache";
            headers["Referrer-Policy"] = "no-referrer";
            context.Response.ContentType = contentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        };
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
