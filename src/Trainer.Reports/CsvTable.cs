using System.Text;

namespace Trainer.Reports;

/// <summary>A CSV file read whole: its header and rows (RFC 4180 quoting; short rows padded, long rows kept).</summary>
internal sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static CsvTable Read(string path)
    {
        var records = Parse(File.ReadAllText(path)).Where(r => !(r.Count == 1 && r[0].Length == 0)).ToList();
        if (records.Count == 0) return new CsvTable([], []);
        var header = records[0];
        var rows = records.Skip(1).Select(r => (IReadOnlyList<string>)[.. r, .. Enumerable.Repeat("", Math.Max(0, header.Count - r.Count))]).ToList();
        return new CsvTable(header, rows);
    }

    /// <summary>The rows as table cells: numbers formatted alike per column (integers only if the whole column is), text as it is.</summary>
    public IEnumerable<IReadOnlyList<HtmlCell>> Cells()
    {
        var integer = Header.Select((_, c) => Rows.Select(r => c < r.Count ? ReportFormat.Parse(r[c]) : null).OfType<double>().All(ReportFormat.IsInteger)).ToList();
        return Rows.Select(r => (IReadOnlyList<HtmlCell>)r.Select((cell, c) =>
            ReportFormat.Parse(cell) is { } v ? HtmlCell.Number(v, null, c < integer.Count ? integer[c] : null) : HtmlCell.Text(cell)).ToList());
    }

    private static IEnumerable<List<string>> Parse(string text)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                record.Add(field.ToString());
                field.Clear();
                yield return record;
                record = [];
            }
            else field.Append(c);
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
