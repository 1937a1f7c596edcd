using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Trainer.Serving.Dashboard;

/// <summary>With a token set, every <c>/api</c> request must carry <c>Authorization: Bearer TOKEN</c>; others get 401 and a problem body. The page itself stays open, so a browser can load it and ask for the token.</summary>
internal static class BearerTokenCheck
{
    public static bool IsAuthorized(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }

    public static async Task Reject(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await DashboardApi.Problem(StatusCodes.Status401Unauthorized, "Unauthorized",
            "This dashboard needs its token: send 'Authorization: Bearer TOKEN' (the page's token field does).").ExecuteAsync(context).ConfigureAwait(false);
    }
}
