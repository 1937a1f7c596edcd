using Trainer.Recipes;

namespace Trainer.Reports;

/// <summary>Checks a report's output path and writes it whole (a temporary file renamed), so a browser never sees half a page.</summary>
internal static class ReportFile
{
    /// <summary>The full path of <paramref name="path"/>; a <see cref="RecipeException"/> naming <paramref name="option"/> if it cannot be a file.</summary>
    public static string Resolve(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new RecipeException($"{option} is empty: give the HTML file to write, e.g. {option} report.html.");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RecipeException($"{option} '{path}' is not a valid path: {e.Message}");
        }
        if (Directory.Exists(full) || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
            throw new RecipeException($"{option} '{path}' is a folder; give a file path such as '{Path.Combine(path, HtmlReport.DefaultFileName)}'.");
        return full;
    }

    /// <summary>Writes <paramref name="html"/>; returns the path. <paramref name="option"/> names the argument in errors (null: the default path).</summary>
    public static string Write(string path, string html, string? option)
    {
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(temporary, html);
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new RecipeException(option is null
                ? $"The report cannot be written to '{path}': {e.Message} Give a writable file with --out."
                : $"{option} '{path}' cannot be written: {e.Message} Give a writable file path.");
        }
    }

    /// <summary>Writes a secondary report if it can; a read-only folder just means no link to it.</summary>
    public static void TryWrite(string path, Func<string> render)
    {
        try
        {
            Write(path, render(), null);
        }
        catch (RecipeException)
        {
            // The experiment's page shows no link for a variant whose report could not be written.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the error that matters is already being reported.
        }
    }
}
