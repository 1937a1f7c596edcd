using System.Text.RegularExpressions;

namespace Trainer.Hosting.Tests.Support;

/// <summary>Checks on a report's HTML text.</summary>
public static partial class ReportHtml
{
    /// <summary>No attribute may point anywhere but inside the page, a data: URI or a relative file.</summary>
    public static void AssertSelfContained(string html)
    {
        var targets = Target().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.That(targets, Is.Not.Empty, "the page has images or links to check");
        Assert.That(targets.Where(u => u.Contains("//", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)), Is.Empty,
            "no src or href reaches outside the page");
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"));
        Assert.That(html, Does.Contain("<link rel=\"icon\" href=\"data:,\">"));
        Assert.That(html, Does.Not.Contain("<script"), "reports run no script");
    }

    /// <summary>How many elements of <paramref name="tag"/> the page holds.</summary>
    public static int Count(string html, string tag) => Regex.Matches(html, $"<{tag}[ >]").Count;

    /// <summary>The body rows of the table with id <paramref name="id"/>.</summary>
    public static IReadOnlyList<string> Rows(string html, string id)
    {
        var start = html.IndexOf($"<table id=\"{id}\">", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"table #{id}");
        var body = html[html.IndexOf("<tbody>", start, StringComparison.Ordinal)..html.IndexOf("</tbody>", start, StringComparison.Ordinal)];
        return Regex.Matches(body, "<tr[ >].*?</tr>", RegexOptions.Singleline).Select(m => m.Value).ToList();
    }

    [GeneratedRegex("(?:src|href)\\s*=\\s*\"(?<url>[^\"]*)\"")]
    private static partial Regex Target();
}
