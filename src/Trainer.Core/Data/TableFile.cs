namespace Trainer.Data;

/// <summary>The text of one table file as read: its header's column names and its rows' fields, not yet encoded.</summary>
/// <param name="Path">The file, as messages name it.</param>
/// <param name="Field">The recipe setting that names the file, e.g. <c>Data:Path</c>.</param>
/// <param name="Columns">The header's column names, in file order.</param>
/// <param name="Rows">Each data row's fields, in the order of <paramref name="Columns"/>.</param>
/// <param name="Lines">The line each data row starts on (the header is line 1), for messages.</param>
public sealed record TableFile(string Path, string Field, IReadOnlyList<string> Columns, IReadOnlyList<string[]> Rows, IReadOnlyList<int> Lines)
{
    /// <summary>Number of data rows.</summary>
    public int Count => Rows.Count;

    /// <summary>Where row <paramref name="row"/> (0-based) is, for a message: "Data file 'F' row R (line L)", rows counted from 1 after the header.</summary>
    public string Where(int row) => $"Data file '{Path}' row {row + 1} (line {Lines[row]})";

    /// <summary>The index of column <paramref name="name"/> (exact match), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
