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

    /// <summary>The file's content for <paramref name="schema"/>, as a model manifest embeds it.</summary>
    public static System.Text.Json.Nodes.JsonNode ToJson(TableSchema schema) => JsonSerializer.SerializeToNode(schema, Options)!;

    /// <summary>The schema in <paramref name="node"/> (a manifest's copy of the file); <paramref name="path"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a table schema.</exception>
    public static TableSchema FromJson(System.Text.Json.Nodes.JsonNode node, string path)
    {
        try
        {
            return node.Deserialize<TableSchema>(Options) ?? throw new InvalidDataException($"{path}: the table schema is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the table schema is not valid: {e.Message}", e);
        }
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
