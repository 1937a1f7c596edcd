using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Trainer.Serving;

/// <summary>
/// The <c>Serve</c> section of a recipe or <c>appsettings.json</c>: where a live run's HTTP API listens and how it is
/// guarded. <c>trainer run RECIPE --serve [URL]</c> turns serving on (and sets <see cref="Urls"/>).
/// </summary>
public sealed class ServeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Serve";

    /// <summary>The environment variable that sets <see cref="Token"/> (the usual place for a secret).</summary>
    public const string TokenVariable = "TRAINER_Serve__Token";

    /// <summary>Where to listen, one URL or several separated by ';'. Default: "http://127.0.0.1:0" (loopback, a free port).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>
    /// The bearer token every request must carry (<c>Authorization: Bearer TOKEN</c>); required when listening on
    /// anything but loopback. Default: null (no token; loopback only).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The Host header values the server answers to, separated by ';' (e.g. "trainer.example.org"). Default: the loopback
    /// names (localhost, 127.0.0.1, [::1]) when listening on loopback only, which refuses a DNS-rebound name; any host
    /// otherwise (the token guards every request).
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>The largest learning rate a control command may set (<c>lr</c>, or a factor's result). Default: 10.</summary>
    public double MaxLearningRate { get; set; } = 10;

    /// <summary>The smallest learning rate a control command may set. Default: 1e-10.</summary>
    public double MinLearningRate { get; set; } = 1e-10;

    /// <summary>/healthz reports unhealthy when no batch finished for this many seconds while not paused. Default: 300.</summary>
    public double StallSeconds { get; set; } = 300;

    /// <summary>The largest request body accepted, in bytes; larger ones get 413. Default: 16384.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16384;

    /// <summary>The host names of <see cref="AllowedHosts"/>, or null for the default.</summary>
    public IReadOnlyList<string>? AllowedHostList =>
        AllowedHosts?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when some address of <see cref="Urls"/> is reachable from other machines.</summary>
    public bool ListensBeyondLoopback => UrlList.Any(u =>
        Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && !IsLoopback(uri.Host));

    /// <summary>The URLs of <see cref="Urls"/>, trimmed.</summary>
    public IReadOnlyList<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when serving is asked for in <paramref name="configuration"/> (a <c>Serve:Urls</c> value).</summary>
    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[$"{Section}:Urls"]);

    /// <summary>Binds the <c>Serve</c> section and checks it; <paramref name="errors"/> gets one line per problem, naming the key.</summary>
    public static ServeOptions Bind(IConfiguration configuration, List<string> errors)
    {
        var options = new ServeOptions();
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            var path = $"{Section}:{child.Key}";
            var value = child.Value;
            switch (child.Key.ToLowerInvariant())
            {
                case "urls":
                    if (!string.IsNullOrWhiteSpace(value)) options.Urls = value;
                    break;
                case "token":
                    options.Token = string.IsNullOrEmpty(value) ? null : value;
                    if (options.Token is not null && Security.TokenRules.Problem(options.Token, path) is { } weak) errors.Add(weak);
                    break;
                case "allowedhosts":
                    options.AllowedHosts = string.IsNullOrWhiteSpace(value) ? null : value;
                    break;
                case "maxlearningrate":
                case "minlearningrate":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && double.IsFinite(rate))
                    {
                        if (child.Key.Equals("maxlearningrate", StringComparison.OrdinalIgnoreCase)) options.MaxLearningRate = rate;
                        else options.MinLearningRate = rate;
                    }
                    else
                        errors.Add($"{path} '{value}' must be a finite number above 0.");
                    break;
                case "stallseconds":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var stall) && stall > 0 && double.IsFinite(stall))
                        options.StallSeconds = stall;
                    else
                        errors.Add($"{path} '{value}' must be a number of seconds above 0, e.g. 300.");
                    break;
                case "maxrequestbodybytes":
                    if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes is >= 256 and <= 1_048_576)
                        options.MaxRequestBodyBytes = bytes;
                    else
                        errors.Add($"{path} '{value}' must be a whole number of bytes from 256 to 1048576, e.g. 16384.");
                    break;
                default:
                    errors.Add($"{path} is not a serve setting; settings of {Section} are: Urls, Token, AllowedHosts, StallSeconds, MaxRequestBodyBytes, " +
                               "MaxLearningRate, MinLearningRate.");
                    break;
            }
        }

        var nonLoopback = new List<string>();
        foreach (var url in options.UrlList)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal),
                    UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query) || uri.AbsolutePath != "/")
            {
                errors.Add($"{Section}:Urls '{url}' is not a URL to listen on; write it as http://HOST:PORT, e.g. http://127.0.0.1:0 (port 0: any free port).");
                continue;
            }
            if (!IsLoopback(uri.Host)) nonLoopback.Add(url);
        }
        if (options.UrlList.Count == 0) errors.Add($"{Section}:Urls is empty; write a URL such as http://127.0.0.1:0.");
        if (options.MinLearningRate >= options.MaxLearningRate)
            errors.Add($"{Section}:MinLearningRate ({options.MinLearningRate}) must be below {Section}:MaxLearningRate ({options.MaxLearningRate}).");
        if (nonLoopback.Count > 0 && options.Token is null)
            errors.Add($"{Section}:Urls '{string.Join(";", nonLoopback)}' listens beyond this machine, so a token is required: set {Section}:Token " +
                       $"or the environment variable {TokenVariable} (clients then send 'Authorization: Bearer TOKEN').");
        return options;
    }

    /// <summary>True for localhost and loopback addresses (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
