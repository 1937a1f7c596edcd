using System.Text;

namespace Trainer.Callbacks;

/// <summary>Turns enum values into the kebab-case codes written to logs and summaries ("PatienceExhausted" → "patience-exhausted").</summary>
public static class ReasonCode
{
    /// <summary>The kebab-case code of <paramref name="value"/>.</summary>
    public static string From<TReason>(TReason value) where TReason : struct, Enum
    {
        var name = value.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('-');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}
