using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Trainer.Reports;

/// <summary>
/// Builds one self-contained HTML page: inline CSS, images as data: URIs, a content security policy that forbids any
/// request, and every piece of text HTML-encoded on its way in.
/// </summary>
internal sealed class HtmlPage
{
    /// <summary>Images larger than this are left out rather than inflating the page.</summary>
    public const long MaxImageBytes = 20 * 1024 * 1024;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly StringBuilder html = new();

    public HtmlPage(string title)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
            .Append("<meta name=\"generator\" content=\"trainer report\">\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>\n").Append(ReportStyles.Css).Append("\n</style>\n</head>\n<body>\n<main>\n");
    }

    // Every Unicode range allowed: letters such as "·" or "é" stay readable, while <, >, &, quotes and controls are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>HTML-encodes text for element content and attribute values alike; line breaks stay as they are.</summary>
    public static string Encode(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Contains('\n') ? string.Join("\n", text.Split('\n').Select(Encoder.Encode)) : Encoder.Encode(text);

    /// <summary>An id attribute value made from any name: lower-case letters, digits and dashes.</summary>
    public static string Id(string prefix, string name, int index)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        return $"{prefix}-{index}" + (safe.Length > 0 ? "-" + safe[..Math.Min(40, safe.Length)] : "");
    }

    /// <summary>A relative link target, each path segment percent-encoded.</summary>
    public static string Href(string relativePath) =>
        Path.IsPathRooted(relativePath)
            ? new Uri(relativePath).AbsoluteUri
            : string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    /// <summary>Appends HTML that is already safe.</summary>
    public HtmlPage Raw(string safeHtml)
    {
        html.Append(safeHtml);
        return this;
    }

    /// <summary>Appends encoded text.</summary>
    public HtmlPage Text(string? text)
    {
        html.Append(Encode(text));
        return this;
    }

    public HtmlPage Heading(int level, string text, string? id = null)
    {
        html.Append("<h").Append(level);
        if (id is not null) html.Append(" id=\"").Append(Encode(id)).Append('"');
        html.Append('>').Append(Encode(text)).Append("</h").Append(level).Append(">\n");
        return this;
    }

    public HtmlPage Paragraph(string text, string? @class = null)
    {
        html.Append(@class is null ? "<p>" : $"<p class=\"{Encode(@class)}\">").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Links to the page's sections.</summary>
    public HtmlPage Contents(IEnumerable<(string Id, string Label)> sections)
    {
        html.Append("<nav class=\"toc\">");
        foreach (var (id, label) in sections) html.Append("<a href=\"#").Append(Encode(id)).Append("\">").Append(Encode(label)).Append("</a>");
        html.Append("</nav>\n");
        return this;
    }

    /// <summary>A grid of labelled values; a null value is left out.</summary>
    public HtmlPage Facts(IEnumerable<(string Label, string? Value)> facts, string? id = null)
    {
        html.Append(id is null ? "<dl class=\"facts\">\n" : $"<dl class=\"facts\" id=\"{Encode(id)}\">\n");
        foreach (var (label, value) in facts.Where(f => f.Value is not null))
            html.Append("<div><dt>").Append(Encode(label)).Append("</dt><dd>").Append(Encode(value)).Append("</dd></div>\n");
        html.Append("</dl>\n");
        return this;
    }

    /// <summary>A coloured status word: completed, stopped early, failed, interrupted, or anything else.</summary>
    public static string Badge(string? status)
    {
        var normal = (status ?? "unknown").Replace('_', '-').ToLowerInvariant();
        var tone = normal switch
        {
            "completed" or "complete" => "ok",
            "stopped-early" or "stopped" or "pruned" or "running" => "info",
            "interrupted" => "warn",
            "failed" => "bad",
            _ => "",
        };
        return Badge(status ?? "unknown", tone);
    }

    /// <summary>A badge with the given tone: ok, info, warn, bad or "" (grey).</summary>
    public static string Badge(string text, string tone) => $"<span class=\"badge {tone}\">{Encode(text)}</span>";

    /// <summary>A warning box listing <paramref name="lines"/>.</summary>
    public HtmlPage Notice(string heading, IReadOnlyList<string> lines, bool error = false, string? id = null)
    {
        if (lines.Count == 0) return this;
        html.Append("<div class=\"notice").Append(error ? " error" : "").Append('"');
        if (id is not null) html.Append(" id=\"").Append(Encode(id)).Append('"');
        html.Append("><strong>").Append(Encode(heading)).Append("</strong>");
        if (lines.Count == 1) html.Append(' ').Append(Encode(lines[0]));
        else
        {
            html.Append("<ul>");
            foreach (var line in lines) html.Append("<li>").Append(Encode(line)).Append("</li>");
            html.Append("</ul>");
        }
        html.Append("</div>\n");
        return this;
    }

    public HtmlPage Table(string? id, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<HtmlCell>> rows, Func<int, string?>? rowClass = null)
    {
        html.Append("<div class=\"table-wrap\"><table");
        if (id is not null) html.Append(" id=\"").Append(Encode(id)).Append('"');
        html.Append(">\n<thead><tr>");
        foreach (var header in headers) html.Append("<th scope=\"col\">").Append(Encode(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        var index = 0;
        foreach (var row in rows)
        {
            var @class = rowClass?.Invoke(index++);
            html.Append(@class is null ? "<tr>" : $"<tr class=\"{Encode(@class)}\">");
            foreach (var cell in row)
            {
                html.Append("<td");
                if (cell.Class is not null) html.Append(" class=\"").Append(Encode(cell.Class)).Append('"');
                if (cell.Title is not null) html.Append(" title=\"").Append(Encode(cell.Title)).Append('"');
                html.Append('>').Append(cell.Html).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
        return this;
    }

    public HtmlPage Pre(string text, string? id = null)
    {
        html.Append(id is null ? "<pre>" : $"<pre id=\"{Encode(id)}\">").Append(Encode(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>
    /// Embeds every PNG in <paramref name="folder"/>: the names in <paramref name="first"/> first, then the others in
    /// file-name order. Returns the problems (a missing or empty folder, a file that is not a PNG or is too large) for
    /// the caller to show.
    /// </summary>
    public IReadOnlyList<string> Plots(string folder, string folderLabel, IReadOnlyList<string>? first = null)
    {
        if (!Directory.Exists(folder)) return [$"no {folderLabel}/ folder: plots are drawn when a run ends, so the run may still be in progress or it ended before any epoch finished."];
        var files = Directory.GetFiles(folder, "*.png")
            .OrderBy(f => first?.ToList().IndexOf(Path.GetFileName(f)) is >= 0 and var i ? i : int.MaxValue)
            .ThenBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) return [$"{folderLabel}/ holds no PNG files."];
        var problems = new List<string>();
        var images = new List<(string Name, byte[] Bytes)>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            try
            {
                var length = new FileInfo(file).Length;
                if (length > MaxImageBytes)
                {
                    problems.Add($"{folderLabel}/{name} is left out: {length / (1024 * 1024)} MiB is more than a report embeds ({MaxImageBytes / (1024 * 1024)} MiB).");
                    continue;
                }
                var bytes = File.ReadAllBytes(file);
                if (bytes.Length < PngSignature.Length || !bytes.AsSpan(0, PngSignature.Length).SequenceEqual(PngSignature))
                {
                    problems.Add($"{folderLabel}/{name} is left out: it is not a PNG image (empty, truncated or another format).");
                    continue;
                }
                images.Add((name, bytes));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{folderLabel}/{name} could not be read: {e.Message}");
            }
        }
        if (images.Count > 0)
        {
            html.Append("<div class=\"plots\">\n");
            foreach (var (name, bytes) in images)
                html.Append("<figure><img alt=\"").Append(Encode(Path.GetFileNameWithoutExtension(name)))
                    .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(bytes))
                    .Append("\"><figcaption>").Append(Encode(name)).Append("</figcaption></figure>\n");
            html.Append("</div>\n");
        }
        return problems;
    }

    /// <summary>Closes the page and returns its HTML.</summary>
    public string Finish(string footer)
    {
        html.Append("<footer>").Append(Encode(footer)).Append("</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }
}
