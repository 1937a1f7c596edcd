namespace Trainer.Serving.Security;

/// <summary>What a server guards with: its token (null: none, loopback only), the host names it answers to, and how it names itself.</summary>
/// <param name="Token">The bearer token every request but the page's own files needs; null when the server listens on loopback only without one.</param>
/// <param name="AllowedHosts">The Host header values accepted ("*" for any); others get 400, which stops DNS rebinding.</param>
/// <param name="TokenHint">Where a client finds the token, for the 401 message.</param>
public sealed record ServerGuard(string? Token, IReadOnlyList<string> AllowedHosts, string TokenHint)
{
    /// <summary>The host names of this machine's loopback interface, the default when every listening address is loopback.</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The Host values to accept for a server listening on <paramref name="urls"/>: <paramref name="configured"/> when
    /// given; else the loopback names when every URL is loopback (a rebound name such as rebind.attacker.test is refused);
    /// else any ("*"), since a token then guards every request.
    /// </summary>
    public static IReadOnlyList<string> HostsFor(IEnumerable<string> urls, IReadOnlyList<string>? configured)
    {
        if (configured is { Count: > 0 }) return configured;
        var hosts = urls.Select(u => Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal),
            UriKind.Absolute, out var uri) ? uri.Host : "").ToList();
        return hosts.All(ServeOptions.IsLoopback) ? LoopbackHosts : ["*"];
    }
}
