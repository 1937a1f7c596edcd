namespace Trainer.Reports;

/// <summary>A table cell: HTML that is already safe, with an optional tooltip and CSS class.</summary>
internal readonly record struct HtmlCell(string Html, string? Title = null, string? Class = null)
{
    /// <summary>A cell showing <paramref name="text"/>, encoded.</summary>
    public static HtmlCell Text(string? text, string? @class = null) => new(HtmlPage.Encode(text ?? ""), null, @class);

    /// <summary>A number, formatted for reading, with its full value as the tooltip.</summary>
    public static HtmlCell Number(double? value, string? @class = null, bool? integerColumn = null) => value is { } v
        ? new(HtmlPage.Encode(ReportFormat.Number(v, integerColumn)), ReportFormat.Exact(v), "num" + (@class is null ? "" : " " + @class))
        : new("—", null, "num missing");
}
