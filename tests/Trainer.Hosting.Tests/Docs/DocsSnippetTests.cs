using System.Text.RegularExpressions;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>
/// docs/writing-callbacks.md and README.md cannot drift from the code: every code block of the guide and every C# block
/// of the README is a snippet, and every snippet is the text of a <c>// begin-snippet: NAME</c> … <c>// end-snippet</c>
/// region of a compiled, tested file in Docs/, usings included.
/// </summary>
public sealed partial class DocsSnippetTests
{
    private static readonly string[] SourcePatterns = ["*.cs", "*.json"];

    [Test]
    public void EveryCodeBlockInTheGuideIsMarkedAsASnippet()
    {
        var unmarked = GuideBlocks().Where(b => b.Name is null).Select(b => $"line {b.Line}: ```{b.Language}");

        Assert.That(unmarked, Is.Empty, "put <!-- snippet: NAME --> on the line before each fence");
    }

    [Test]
    public void EveryCSharpBlockInTheReadmeIsMarkedAsASnippet()
    {
        var blocks = Blocks(DocsFiles.Readme).Where(b => b.Language == "csharp").ToList();

        Assert.That(blocks, Is.Not.Empty);
        Assert.That(blocks.Where(b => b.Name is null).Select(b => $"README.md line {b.Line}"), Is.Empty, "put <!-- snippet: NAME --> on the line before each fence");
    }

    [Test]
    public void EverySnippetInTheGuideEqualsItsSourceRegion()
    {
        var regions = SourceRegions();
        var blocks = GuideBlocks().Concat(Blocks(DocsFiles.Readme)).Where(b => b.Name is not null).ToList();
        Assert.That(blocks, Is.Not.Empty);

        Assert.Multiple(() =>
        {
            foreach (var block in blocks)
            {
                if (!regions.TryGetValue(block.Name!, out var region))
                {
                    Assert.Fail($"line {block.Line}: snippet '{block.Name}' has no begin-snippet region in {DocsFiles.Examples}");
                    continue;
                }
                Assert.That(block.Language, Is.EqualTo(region.File.EndsWith(".json", StringComparison.Ordinal) ? "json" : "csharp"), block.Name);
                Assert.That(block.Text, Is.EqualTo(region.Text), $"snippet '{block.Name}' (line {block.Line}) differs from {region.File}");
            }
        });
    }

    [Test]
    public void EverySnippetRegionIsShownByTheGuideExactlyOnce()
    {
        var shown = GuideBlocks().Concat(Blocks(DocsFiles.Readme)).Where(b => b.Name is not null).GroupBy(b => b.Name!).ToDictionary(g => g.Key, g => g.Count());

        var regions = SourceRegions().Keys.Order(StringComparer.Ordinal).ToList();

        Assert.That(regions, Is.Not.Empty);
        Assert.That(regions.Where(r => !shown.ContainsKey(r)), Is.Empty, "regions the guide does not show");
        Assert.That(shown.Where(s => s.Value > 1).Select(s => s.Key), Is.Empty, "snippets shown twice");
    }

    [Test]
    public void EveryRelativeLinkInTheGuideNamesAFileOfTheRepository()
    {
        var guideFolder = Path.GetDirectoryName(DocsFiles.Guide)!;
        var links = MarkdownLink().Matches(File.ReadAllText(DocsFiles.Guide)).Select(m => m.Groups["target"].Value)
            .Where(t => !t.Contains("://", StringComparison.Ordinal) && !t.StartsWith('#')).ToList();

        Assert.That(links, Is.Not.Empty);
        Assert.That(links.Where(l => !File.Exists(Path.Combine(guideFolder, l.Split('#')[0])) && !Directory.Exists(Path.Combine(guideFolder, l.Split('#')[0]))),
            Is.Empty);
    }

    [Test]
    public void TheReadmesCallbackSectionLinksTheGuide()
    {
        var readme = File.ReadAllText(Path.Combine(DocsFiles.Root, "README.md"));
        var section = readme[readme.IndexOf("## Writing a callback", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        Assert.That(section, Does.Contain("](docs/writing-callbacks.md)"));
    }

    /// <summary>The guide's fenced code blocks, each with the snippet name on the line before it (null when none).</summary>
    private static List<(string? Name, string Language, string Text, int Line)> GuideBlocks() => Blocks(DocsFiles.Guide);

    /// <summary>A Markdown file's fenced code blocks, each with the snippet name on the line before it (null when none).</summary>
    private static List<(string? Name, string Language, string Text, int Line)> Blocks(string markdown)
    {
        var lines = File.ReadAllLines(markdown);
        var blocks = new List<(string? Name, string Language, string Text, int Line)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal)) continue;
            var indent = lines[i].Length - lines[i].TrimStart().Length; // a block inside a list item is indented with it
            var language = lines[i].Trim()[3..];
            var marker = i > 0 ? SnippetMarker().Match(lines[i - 1]) : Match.Empty;
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            Assert.That(end, Is.GreaterThan(i), $"the code block at line {i + 1} of the guide is not closed");
            var body = lines[(i + 1)..end].Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l);
            blocks.Add((marker.Success ? marker.Groups["name"].Value : null, language, string.Join("\n", body), i + 1));
            i = end;
        }
        return blocks;
    }

    /// <summary>The begin-snippet regions of Docs/, by name, with their common indentation removed.</summary>
    private static Dictionary<string, (string File, string Text)> SourceRegions()
    {
        var regions = new Dictionary<string, (string File, string Text)>(StringComparer.Ordinal);
        var files = SourcePatterns.SelectMany(p => Directory.EnumerateFiles(DocsFiles.Examples, p, SearchOption.AllDirectories)).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var begin = BeginSnippet().Match(lines[i]);
                if (!begin.Success) continue;
                var name = begin.Groups["name"].Value;
                var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "// end-snippet");
                Assert.That(end, Is.GreaterThan(i), $"{file}:{i + 1}: begin-snippet '{name}' has no // end-snippet");
                var body = lines[(i + 1)..end];
                Assert.That(body.Any(l => BeginSnippet().IsMatch(l)), Is.False, $"{file}:{i + 1}: snippet '{name}' holds another begin-snippet");
                Assert.That(regions.TryAdd(name, (file, Dedent(body))), Is.True, $"{file}:{i + 1}: a second snippet named '{name}'");
                i = end;
            }
        }
        return regions;
    }

    private static string Dedent(string[] lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Trim().Length == 0 ? "" : l[indent..].TrimEnd()));
    }

    [GeneratedRegex(@"^\s*<!--\s*snippet:\s*(?<name>[\w.-]+)\s*-->\s*$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^\s*//\s*begin-snippet:\s*(?<name>[\w.-]+)\s*$")]
    private static partial Regex BeginSnippet();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
