namespace Trainer.Serving.Security;

/// <summary>What a bearer token must be to guard a server: long, without spaces, not a repeated character.</summary>
public static class TokenRules
{
    /// <summary>The fewest characters accepted (16 random base64 characters are 96 bits).</summary>
    public const int MinimumLength = 16;

    /// <summary>The problem with <paramref name="token"/>, named by <paramref name="name"/>; null when it is acceptable.</summary>
    public static string? Problem(string token, string name)
    {
        if (token.Any(char.IsWhiteSpace) || token.Any(char.IsControl))
            return $"{name} contains spaces or control characters; use a random token, e.g. from 'trainer token'.";
        if (token.Length < MinimumLength || token.Distinct().Count() < 6)
            return $"{name} is too weak ({token.Length} characters): use at least {MinimumLength} random characters, e.g. from 'trainer token' or 'openssl rand -base64 24'.";
        return null;
    }

    /// <summary>A new random token: 32 bytes from the system's cryptographic generator, base64url (43 characters).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
