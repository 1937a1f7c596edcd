using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trainer.Runs;

/// <summary>Reads and writes <c>summary.json</c> (camelCase, indented, written to a temporary file and renamed).</summary>
public static class RunSummaryFile
{
    /// <summary>The file name inside a run directory.</summary>
    public const string FileName = RunFiles.Summary;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new FiniteOrNullConverter() },
    };

    /// <summary>Writes <paramref name="summary"/> into <paramref name="runDirectory"/>.</summary>
    public static void Write(string runDirectory, RunSummary summary)
    {
        var path = Path.Combine(runDirectory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(summary, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the summary of the run in <paramref name="runDirectory"/>.</summary>
    public static RunSummary Read(string runDirectory) =>
        Parse(File.ReadAllText(Path.Combine(runDirectory, FileName))) ?? throw new InvalidDataException($"{Path.Combine(runDirectory, FileName)} is empty.");

    /// <summary>The summary of the run in <paramref name="runDirectory"/>, or null when it has none or it cannot be read.</summary>
    public static RunSummary? TryRead(string runDirectory)
    {
        try
        {
            return File.Exists(Path.Combine(runDirectory, FileName)) ? Read(runDirectory) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Parses a summary's JSON text; null for "null".</summary>
    /// <exception cref="JsonException">The text is not a summary.</exception>
    public static RunSummary? Parse(string json) => JsonSerializer.Deserialize<RunSummary>(json, Json);
}
