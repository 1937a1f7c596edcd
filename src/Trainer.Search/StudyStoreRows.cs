using System.Data.Common;
using System.Text.Json;
using Trainer.Recipes;

namespace Trainer.Search;

/// <summary>Rows both study stores read the same way, whatever the database.</summary>
internal static class StudyStoreRows
{
    /// <summary>
    /// The columns of a trial as <c>TrialRecord</c> takes them, in order, the last being the last epoch it reported
    /// (from <c>intermediate</c>); for <c>SELECT … FROM trials</c>.
    /// </summary>
    public const string TrialColumns = "number, state, params, point, value, run_dir, started_at, ended_at, failure, worker, objective_values, " +
                                       "(SELECT MAX(i.epoch) FROM intermediate i WHERE i.study = trials.study AND i.number = trials.number)";

    /// <summary>Reads rows of (trial number, epoch, value), ordered by number and epoch, into each trial's list.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<(int Epoch, double Value)>> ReportedValues(DbDataReader reader)
    {
        var values = new Dictionary<int, List<(int, double)>>();
        while (reader.Read())
        {
            var number = reader.GetInt32(0);
            if (!values.TryGetValue(number, out var list)) values[number] = list = [];
            list.Add((reader.GetInt32(1), reader.GetDouble(2)));
        }
        return values.ToDictionary(p => p.Key, p => (IReadOnlyList<(int, double)>)p.Value);
    }

    /// <summary>A multi-objective study's objectives as stored (JSON), or null for a single objective.</summary>
    public static string? ObjectivesJson(IReadOnlyList<StudyObjective>? objectives) =>
        objectives is null ? null : JsonSerializer.Serialize(objectives.Select(o => new { o.Metric, o.Maximize }));

    /// <summary>The objectives from their stored JSON (null: a single-objective study).</summary>
    public static IReadOnlyList<StudyObjective>? Objectives(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<List<StudyObjective>>(json);

    /// <summary>Throws when a stored study's objectives differ from a resumed search's: one line naming both.</summary>
    public static void CheckObjectives(string study, string? stored, IReadOnlyList<StudyObjective>? objectives)
    {
        if (stored == ObjectivesJson(objectives)) return;
        static string Describe(IReadOnlyList<StudyObjective>? list) =>
            list is null ? "a single objective" : string.Join(", ", list.Select(o => $"{o.Direction} {o.Metric}"));
        throw new RecipeException($"Study '{study}' already exists with {Describe(Objectives(stored))}, but Search:Objectives asks for {Describe(objectives)}; " +
                                  "give this search its own Search:Study name, or --storage elsewhere.");
    }

    /// <summary>A trial's objective vector as stored (JSON), or null.</summary>
    public static object ValuesJson(double[]? values) => values is null ? DBNull.Value : JsonSerializer.Serialize(values, FloatJson);

    /// <summary>A trial's objective vector from the column at <paramref name="ordinal"/>, or null.</summary>
    public static double[]? Values(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<double[]>(reader.GetString(ordinal), FloatJson);

    private static readonly JsonSerializerOptions FloatJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
