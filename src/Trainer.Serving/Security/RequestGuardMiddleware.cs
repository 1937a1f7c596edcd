using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Trainer.Serving.Http;

namespace Trainer.Serving.Security;

/// <summary>
/// Refuses what a hostile web page can make a browser send: a request whose <c>Origin</c> is another site (403; the
/// page and its own scripts are same-origin), and a request with a body that is not <c>application/json</c> (415: a
/// cross-site form or <c>no-cors</c> fetch can only send text/plain, form or multipart bodies without asking first).
/// </summary>
internal sealed class RequestGuardMiddleware(RequestDelegate next, ILogger<RequestGuardMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (request.Headers.Origin.ToString() is { Length: > 0 } origin && !SameOrigin(origin, request))
        {
            ServingLog.Refused(logger, request.Method, LogText.Escape(request.Path.Value ?? ""), source, $"cross-origin request from {LogText.Escape(origin)}");
            await Problems.For(StatusCodes.Status403Forbidden, "Cross-origin request refused", "Origin",
                "This server answers its own page only; requests from other sites are refused.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        if (HasBody(request) && !IsJson(request.ContentType))
        {
            ServingLog.Refused(logger, request.Method, LogText.Escape(request.Path.Value ?? ""), source,
                $"content type '{LogText.Escape(request.ContentType ?? "")}' is not application/json");
            await Problems.For(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Content-Type",
                "Send the body as JSON with 'Content-Type: application/json'.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="origin"/> is the scheme, host and port the request was sent to.</summary>
    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == request.Scheme &&
        string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool HasBody(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) ||
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private static bool IsJson(string? contentType) =>
        contentType is not null && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);
}
