using System.Text.Json;
using Trainer.Data;

namespace Trainer.Runs;

/// <summary>
/// Reads and writes <c>table.json</c>: what a table's encoding fitted on the training split (<see cref="TableSchema"/>:
/// the target and its classes, each feature column's categories or mean, the model's input names), so whoever uses the
/// trained model can encode new rows the same way.
/// </summary>
public static class TableSchemaFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The file name inside a run directory.</summary>
    public const string FileName = RunFiles.Table;

    /// <summary>Writes <paramref name="schema"/> into <paramref name="runDirectory"/> (through a temporary file, then renamed).</summary>
    public static void Write(string runDirectory, TableSchema schema)
    {
        var path = Path.Combine(runDirectory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(schema, Options));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Reads the schema written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a table schema.</exception>
    public static TableSchema Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        try
        {
            return JsonSerializer.Deserialize<TableSchema>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} holds null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid table file: {e.Message}", e);
        }
    }
}
