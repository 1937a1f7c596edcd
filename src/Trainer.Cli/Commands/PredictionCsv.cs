using System.Globalization;
using Trainer.Inference;
using Trainer.Tasks;

namespace Trainer.Cli.Commands;

/// <summary>Writes predictions as CSV (RFC 4180 quoting): id, prediction, the known label, then the scores.</summary>
internal static class PredictionCsv
{
    public static void Write(TextWriter writer, TrainedModel model, IReadOnlyList<Prediction> predictions, double[]? labels,
        IReadOnlyList<string>? inputClasses, int? topK)
    {
        var c = CultureInfo.InvariantCulture;
        var kind = model.Task.Kind;
        var outputs = model.Task.Outputs;
        var names = model.ClassNames ?? [.. Enumerable.Range(0, outputs).Select(i => i.ToString(c))];
        var k = topK is { } wanted && kind == TaskKind.Classification ? Math.Min(wanted, outputs) : (int?)null;
        var header = new List<string> { "id", "prediction" };
        if (labels is not null) header.Add("label");
        if (k is { } top)
        {
            for (var i = 1; i <= top; i++) { header.Add($"top{i}"); header.Add($"p{i}"); }
        }
        else
        {
            header.AddRange(kind switch
            {
                TaskKind.Regression => outputs == 1 ? [] : names.Select(n => $"value_{n}"),
                TaskKind.Binary => ["probability"],
                _ => names.Select(n => $"p_{n}"),
            });
        }
        writer.WriteLine(string.Join(",", header.Select(Quote)));
        for (var r = 0; r < predictions.Count; r++)
        {
            var p = predictions[r];
            var row = new List<string> { p.Id, Predicted(p, kind, names, c) };
            if (labels is not null) row.Add(Label(labels[r], kind, inputClasses ?? model.ClassNames, c));
            if (k is { } most)
            {
                foreach (var i in Enumerable.Range(0, p.Scores.Length).OrderByDescending(i => p.Scores[i]).ThenBy(i => i).Take(most))
                {
                    row.Add(names[i]);
                    row.Add(p.Scores[i].ToString("G6", c));
                }
            }
            else if (!(kind == TaskKind.Regression && outputs == 1))
            {
                row.AddRange(p.Scores.Select(s => s.ToString("G6", c)));
            }
            writer.WriteLine(string.Join(",", row.Select(Quote)));
        }
        writer.Flush();
    }

    private static string Predicted(Prediction p, TaskKind kind, IReadOnlyList<string> names, CultureInfo c) => kind switch
    {
        TaskKind.Regression => string.Join(";", p.Scores.Select(s => s.ToString("G7", c))),
        TaskKind.Multilabel => string.Join(";", p.PositiveLabels!.Select(i => names[i])),
        TaskKind.Binary => p.Label!.Value.ToString(c),
        _ => p.ClassName ?? p.Label!.Value.ToString(c),
    };

    private static string Label(double label, TaskKind kind, IReadOnlyList<string>? classes, CultureInfo c) =>
        kind == TaskKind.Classification && classes is not null && label >= 0 && label < classes.Count ? classes[(int)label]
        : kind is TaskKind.Classification or TaskKind.Binary ? ((long)label).ToString(c) : label.ToString("G7", c);

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
