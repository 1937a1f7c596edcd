using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection;

namespace Trainer.Serving.Security;

/// <summary>
/// The protections both servers (a live run's and <c>trainer dashboard</c>) put in front of their endpoints: host
/// filtering (DNS rebinding), the origin and content-type guard (other web pages), and bearer-token authentication with
/// an authorization fallback policy, so every endpoint needs the token unless it is one of the page's own files.
/// </summary>
public static class ServerSecurity
{
    /// <summary>Registers the guard's services.</summary>
    public static IServiceCollection AddServerSecurity(this IServiceCollection services, ServerGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        services.AddSingleton(guard);
        services.Configure<HostFilteringOptions>(o =>
        {
            o.AllowedHosts = [.. guard.AllowedHosts];
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false;
        });
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(BearerTokenHandler.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>Puts the guard in front of every endpoint (call before mapping them).</summary>
    public static WebApplication UseServerSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHostFiltering();
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
