using System.Globalization;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Encodes a table's rows as float32 features: the feature columns (<c>Data:Features</c>, default every column but
/// <c>Data:Target</c>) in order, a numeric column as one input, a categorical one (<c>Data:Categorical</c>, default
/// every feature column with a value that is not a number in the training rows) as one input per category the training
/// rows show. Categories and imputation means are fitted on the training rows only. The target becomes float32 values
/// when all its values are numbers, else int64 class indices of its values in ordinal order (every row of the files).
/// </summary>
public static class TableEncoder
{
    /// <summary>Accepted values of <c>Data:MissingValues</c>.</summary>
    public static readonly IReadOnlyList<string> MissingValueModes = ["error", "mean"];

    /// <summary>Accepted values of <c>Data:UnseenCategory</c>.</summary>
    public static readonly IReadOnlyList<string> UnseenCategoryModes = ["error", "zeros"];

    /// <summary>
    /// Fits the encoding on <paramref name="trainingRows"/> of the training file and encodes both files with it; throws
    /// <see cref="RecipeException"/> naming the column, or the file, row and column, of the first problem.
    /// </summary>
    /// <param name="rows">The table's rows.</param>
    /// <param name="options">The recipe's data section (<c>Target</c>, <c>Features</c>, <c>Categorical</c>, the modes).</param>
    /// <param name="trainingRows">The rows of <see cref="TableRows.Train"/> that form the training split.</param>
    public static (RawData Data, TableSchema Schema) Encode(TableRows rows, DataOptions options, IReadOnlyList<long> trainingRows)
    {
        var file = rows.Train;
        var (target, features) = Columns(rows, options);
        var imputes = string.Equals(options.MissingValues, "mean", StringComparison.OrdinalIgnoreCase);
        var zeros = string.Equals(options.UnseenCategory, "zeros", StringComparison.OrdinalIgnoreCase);
        var training = trainingRows.Select(r => checked((int)r)).ToArray();

        var columns = features.Select(c => Fit(file, c, training, options.Categorical, imputes)).ToList();
        var classes = TargetClasses(rows, target);
        var schema = new TableSchema(file.Columns[target], classes, columns, [.. columns.SelectMany(c => c.FeatureNames)], options.Delimiter,
            imputes ? "mean" : "error", zeros ? "zeros" : "error");

        var train = Encoded(file, schema, imputes, zeros);
        try
        {
            var test = rows.Test is null ? null : Encoded(rows.Test, schema, imputes, zeros);
            return (new RawData(train, test), schema);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Encodes <paramref name="file"/> with an encoding fitted before (a trained model's <see cref="TableSchema"/>): the
    /// schema's feature columns must all be there (other columns are ignored); the target is read when the file has it.
    /// Throws <see cref="RecipeException"/> naming the file and the missing columns, or the row and column of a bad value.
    /// </summary>
    public static (Tensor Features, Tensor? Targets) EncodeWith(TableFile file, TableSchema schema)
    {
        var missing = schema.Columns.Where(c => file.IndexOf(c.Name) < 0).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new RecipeException($"Data file '{file.Path}' lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(m => $"'{P(m)}'"))} " +
                                      $"the model was trained on; its columns are: {P(string.Join(", ", file.Columns))}.");
        var imputes = string.Equals(schema.MissingValues, "mean", StringComparison.OrdinalIgnoreCase);
        var zeros = string.Equals(schema.UnseenCategory, "zeros", StringComparison.OrdinalIgnoreCase);
        using var encoded = Encoded(file, schema, imputes, zeros, withTargets: false);
        var features = encoded.Features.alias();
        var column = file.IndexOf(schema.Target);
        if (column < 0) return (features, null);
        if (schema.Classes is { } classes)
        {
            var index = classes.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => (long)p.i, StringComparer.Ordinal);
            var labels = new long[file.Count];
            for (var r = 0; r < file.Count; r++)
                labels[r] = index.TryGetValue(file.Rows[r][column].Trim(), out var k) ? k
                    : throw new RecipeException($"{file.Where(r)}, column '{P(schema.Target)}': class '{P(file.Rows[r][column].Trim())}' is not one the model knows " +
                                                $"({Listing(classes)}).");
            return (features, tensor(labels, [file.Count]));
        }
        return (features, Targets(file, schema));
    }

    /// <summary>The target's index and the feature columns' indices in the training file; every naming mistake at once.</summary>
    private static (int Target, List<int> Features) Columns(TableRows rows, DataOptions options)
    {
        var file = rows.Train;
        var errors = new List<string>();
        var listing = string.Join(", ", file.Columns);
        var target = file.IndexOf(options.Target ?? "");
        if (target < 0) errors.Add($"Data:Target '{options.Target}' is not a column of '{file.Path}'; its columns are: {listing}.");
        List<int> features;
        if (options.Features is null)
        {
            features = [.. Enumerable.Range(0, file.Columns.Count).Where(i => i != target)];
        }
        else
        {
            features = [];
            foreach (var name in options.Features)
            {
                var index = file.IndexOf(name);
                if (index < 0) errors.Add($"Data:Features '{name}' is not a column of '{file.Path}'; its columns are: {listing}.");
                else if (index == target) errors.Add($"Data:Features '{name}' is the target (Data:Target); remove it from Data:Features.");
                else if (features.Contains(index)) errors.Add($"Data:Features lists '{name}' twice.");
                else features.Add(index);
            }
        }
        if (features.Count == 0 && errors.Count == 0) errors.Add($"Data:Features: '{file.Path}' has no feature column besides the target '{options.Target}'.");
        var featureNames = features.Select(i => file.Columns[i]).ToList();
        foreach (var name in options.Categorical ?? [])
            if (!featureNames.Contains(name, StringComparer.Ordinal))
                errors.Add($"Data:Categorical '{name}' is not a feature column; the features are: {string.Join(", ", featureNames)}.");
        if (rows.Test is { } test)
            foreach (var name in featureNames.Prepend(target < 0 ? null : file.Columns[target]).OfType<string>())
                if (test.IndexOf(name) < 0) errors.Add($"Data:TestPath '{test.Path}' has no column '{name}'; its columns are: {string.Join(", ", test.Columns)}.");
        if (errors.Count > 0) throw new RecipeException(errors);
        return (target, features);
    }

    private static TableColumn Fit(TableFile file, int column, int[] training, string[]? categorical, bool imputes)
    {
        var name = file.Columns[column];
        var present = training.Where(r => !Missing(file.Rows[r][column])).ToList();
        var isCategorical = categorical?.Contains(name, StringComparer.Ordinal)
                            ?? present.Any(r => !TryNumber(file.Rows[r][column], out _));
        if (isCategorical)
        {
            var counts = present.GroupBy(r => file.Rows[r][column].Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var categories = counts.Keys.Order(StringComparer.Ordinal).ToList();
            if (categories.Count == 0)
                throw new RecipeException($"Data:Categorical: column '{name}' of '{file.Path}' has no value in the training rows; remove it from Data:Features.");
            return new TableColumn(name, true, categories, null, [.. categories.Select(c => (double)counts[c] / present.Count)]);
        }
        var sum = 0.0;
        foreach (var row in present)
        {
            if (!TryNumber(file.Rows[row][column], out var value))
                throw new RecipeException($"{file.Where(row)}, column '{name}': '{P(file.Rows[row][column])}' is not a number; " +
                                          $"list '{name}' in Data:Categorical to one-hot encode it.");
            sum += value;
        }
        if (present.Count == 0 && imputes)
            throw new RecipeException($"Data:MissingValues: column '{name}' of '{file.Path}' has no value in the training rows to take a mean of; " +
                                      "remove it from Data:Features.");
        return new TableColumn(name, false, null, present.Count == 0 ? null : sum / present.Count, null);
    }

    /// <summary>The target's classes in ordinal order when any of its values is not a number; null for a numeric target.</summary>
    private static List<string>? TargetClasses(TableRows rows, int target)
    {
        var name = rows.Train.Columns[target];
        var values = new HashSet<string>(StringComparer.Ordinal);
        var numeric = true;
        foreach (var file in new[] { rows.Train, rows.Test }.OfType<TableFile>())
        {
            var column = file.IndexOf(name);
            for (var r = 0; r < file.Count; r++)
            {
                var text = file.Rows[r][column];
                if (Missing(text))
                    throw new RecipeException($"{file.Where(r)}, column '{name}': the target is missing; every row needs one (remove the row or fill it in).");
                values.Add(text.Trim());
                numeric &= TryNumber(text, out _);
            }
        }
        return numeric ? null : [.. values.Order(StringComparer.Ordinal)];
    }

    private static Dataset Encoded(TableFile file, TableSchema schema, bool imputes, bool zeros, bool withTargets = true)
    {
        var width = schema.Features.Count;
        var features = new float[(long)file.Count * width];
        var indices = schema.Columns.Select(c => file.IndexOf(c.Name)).ToArray();
        var lookups = schema.Columns.Select(c => c.Categories?.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal)).ToArray();
        for (var r = 0; r < file.Count; r++)
        {
            var offset = (long)r * width;
            for (var c = 0; c < schema.Columns.Count; c++)
            {
                var column = schema.Columns[c];
                var text = file.Rows[r][indices[c]];
                if (Missing(text))
                {
                    if (!imputes)
                        throw new RecipeException($"{file.Where(r)}, column '{column.Name}': the value is missing; fill it in, " +
                                                  "or set Data:MissingValues to \"mean\" to impute the training rows' mean.");
                    if (column.Categorical)
                        for (var k = 0; k < column.Categories!.Count; k++) features[offset + k] = (float)column.Frequencies![k];
                    else
                        features[offset] = (float)column.Mean!.Value;
                }
                else if (column.Categorical)
                {
                    if (lookups[c]!.TryGetValue(text.Trim(), out var k)) features[offset + k] = 1;
                    else if (!zeros)
                        throw new RecipeException($"{file.Where(r)}, column '{column.Name}': category '{P(text.Trim())}' does not occur in the training rows " +
                                                  $"(they have: {Listing(column.Categories!)}); set Data:UnseenCategory to \"zeros\" to encode it as all zeros.");
                }
                else if (TryNumber(text, out var value))
                {
                    features[offset] = (float)value;
                }
                else
                {
                    throw new RecipeException($"{file.Where(r)}, column '{column.Name}': '{P(text)}' is not a number, but the column is numeric in the training rows; " +
                                              $"list '{column.Name}' in Data:Categorical to one-hot encode it.");
                }
                offset += column.Categorical ? column.Categories!.Count : 1;
            }
        }
        var targets = withTargets ? Targets(file, schema) : TorchSharp.torch.zeros(file.Count, ScalarType.Int64);
        return new Dataset(tensor(features, [file.Count, width]), targets, schema.Classes?.Count ?? 0) { ClassNames = schema.Classes };
    }

    private static Tensor Targets(TableFile file, TableSchema schema)
    {
        var column = file.IndexOf(schema.Target);
        if (schema.Classes is { } classes)
        {
            var index = classes.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => (long)p.i, StringComparer.Ordinal);
            return tensor(file.Rows.Select(row => index[row[column].Trim()]).ToArray(), [file.Count]);
        }
        return tensor(file.Rows.Select(row => TryNumber(row[column], out var v) ? (float)v : float.NaN).ToArray(), [file.Count]);
    }

    /// <summary>The first categories for a message, and how many more there are.</summary>
    private static string Listing(IReadOnlyList<string> categories) =>
        P(string.Join(", ", categories.Take(10))) + (categories.Count > 10 ? $" and {categories.Count - 10} more" : "");

    /// <summary>A value as a message shows it: control characters (a quoted line break) escaped, so the message stays one line.</summary>
    private static string P(string text) => RecipeValidator.Printable(text);

    private static bool Missing(string text) => string.IsNullOrWhiteSpace(text);

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
