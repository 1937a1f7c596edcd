using System.Text;

namespace Trainer.Serving.Http;

/// <summary>Text from a client made safe for a log line: control characters (newlines, ANSI escapes) written as \uXXXX, length bounded.</summary>
internal static class LogText
{
    public static string Escape(string text, int maxLength = 200)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var c in text.Length > maxLength ? text[..maxLength] : text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029') builder.Append($"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        if (text.Length > maxLength) builder.Append('…');
        return builder.ToString();
    }
}
