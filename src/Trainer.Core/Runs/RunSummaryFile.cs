using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trainer.Runs;

/// <summary>Reads and writes <c>summary.json</c> (camelCase, indented, written to a temporary file and renamed).</summary>
public static class RunSummaryFile
{
    /// <summary>The file name inside a run directory.</summary>
    public const string FileName = "summary.json";

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
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(Path.Combine(runDirectory, FileName)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(runDirectory, FileName)} is empty.");
}
