using System.Data.Common;

namespace Trainer.Search;

/// <summary>Rows both study stores read the same way, whatever the database.</summary>
internal static class StudyStoreRows
{
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
}
