using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Trainer.Serving.Http;

/// <summary>
/// With <c>Serve:Token</c> set, every request needs <c>Authorization: Bearer TOKEN</c> (a page's GET requests may pass
/// <c>?access_token=TOKEN</c> instead, since a browser's EventSource cannot set headers); the comparison takes the same
/// time whatever the input. A wrong or missing token gets 401 and a log event, and nothing else happens.
/// </summary>
internal sealed class BearerTokenMiddleware(RequestDelegate next, ServeOptions options, ILogger<BearerTokenMiddleware> logger)
{
    private readonly byte[]? expected = options.Token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));

    public async Task InvokeAsync(HttpContext context)
    {
        if (expected is null || IsPageFile(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var presented = Presented(context.Request);
        if (presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var reason = presented is null ? "no bearer token" : "wrong bearer token";
        ServingLog.Unauthorized(logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", reason);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.For(StatusCodes.Status401Unauthorized, "Unauthorized", "Authorization",
                $"This run needs 'Authorization: Bearer TOKEN' ({reason}); the token is Serve:Token, or {ServeOptions.TokenVariable} for trainer ctl.")
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    // The page's static files hold no run data; a browser must load them to ask for the token at all.
    private static bool IsPageFile(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Path.StartsWithSegments("/api") && request.Path != "/healthz" && request.Path != "/metrics";

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (HttpMethods.IsGet(request.Method) && request.Query.TryGetValue("access_token", out var query) && query.Count == 1) return query[0];
        return null;
    }
}
