using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trainer.Serving.Http;

namespace Trainer.Serving.Security;

/// <summary>
/// ASP.NET Core authentication by bearer token: <c>Authorization: Bearer TOKEN</c>, or for GET requests
/// <c>?access_token=TOKEN</c> (a browser's EventSource cannot set headers), compared in constant time. Without a token
/// configured (a loopback server) every request is authenticated. A refused request gets 401, a problem body and a log
/// event. Authorization runs on the matched endpoint, so letter case or a trailing slash reach the same rule.
/// </summary>
internal sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder, ServerGuard guard)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "TrainerBearer";

    private readonly byte[]? expected = guard.Token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(guard.Token));
    private readonly ILogger refusals = loggers.CreateLogger("Trainer.Serving.Security");

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (expected is null) return Task.FromResult(Success("local"));
        var presented = Presented(Request);
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());
        return Task.FromResult(CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected)
            ? Success("token")
            : AuthenticateResult.Fail("wrong bearer token"));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Presented(Request) is null ? "no bearer token" : "wrong bearer token";
        ServingLog.Unauthorized(refusals, Request.Method, LogText.Escape(Request.Path.Value ?? ""), Context.Connection.RemoteIpAddress?.ToString() ?? "unknown", reason);
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.For(StatusCodes.Status401Unauthorized, "Unauthorized", "Authorization",
            $"This server needs 'Authorization: Bearer TOKEN' ({reason}); {guard.TokenHint}").ExecuteAsync(Context).ConfigureAwait(false);
    }

    private AuthenticateResult Success(string how) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, how)], SchemeName)), SchemeName));

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (HttpMethods.IsGet(request.Method) && request.Query.TryGetValue("access_token", out var query) && query.Count == 1) return query[0];
        return null;
    }
}
