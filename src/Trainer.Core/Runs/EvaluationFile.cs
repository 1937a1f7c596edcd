using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trainer.Runs;

/// <summary>Reads and writes <c>evaluation.json</c> (camelCase, indented, written to a temporary file and renamed).</summary>
public static class EvaluationFile
{
    /// <summary>The file name inside an evaluation folder.</summary>
    public const string FileName = EvaluationFiles.Results;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new FiniteOrNullConverter() },
    };

    /// <summary>Writes <paramref name="evaluation"/> into <paramref name="folder"/> (created when missing); returns the file's path.</summary>
    public static string Write(string folder, EvaluationResult evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(evaluation, Json));
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Reads the evaluation in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no evaluation.json.</exception>
    /// <exception cref="InvalidDataException">The file is not an evaluation; the message names it.</exception>
    public static EvaluationResult Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var text = File.ReadAllText(path);
        EvaluationResult? evaluation;
        try
        {
            evaluation = JsonSerializer.Deserialize<EvaluationResult>(text, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid evaluation: {e.Message}", e);
        }
        if (evaluation is null) throw new InvalidDataException($"{path} holds null, not an evaluation.");
        if (evaluation.Metrics is null) throw new InvalidDataException($"{path}: metrics is null; expected an object of metric names and values.");
        if (evaluation.Classification is { } classification && Problem(classification) is { } problem)
            throw new InvalidDataException($"{path}: {problem}");
        return evaluation;
    }

    /// <summary>The evaluation in <paramref name="folder"/>, or null when it has none or it cannot be read.</summary>
    public static EvaluationResult? TryRead(string folder)
    {
        try
        {
            return File.Exists(Path.Combine(folder, FileName)) ? Read(folder) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private static string? Problem(EvaluationClassification classification)
    {
        var k = classification.ClassNames?.Count ?? 0;
        if (classification.ClassNames is null || classification.Classes is null || classification.Confusion is null)
            return "classification needs classNames, classes and confusion.";
        if (classification.Classes.Count != k)
            return $"classification has {k} class names but {classification.Classes.Count} classes.";
        if (classification.Confusion.Count != k || classification.Confusion.Any(row => row is null || row.Count != k))
            return $"classification.confusion is not {k}×{k} (one row and one column per class).";
        return null;
    }
}
