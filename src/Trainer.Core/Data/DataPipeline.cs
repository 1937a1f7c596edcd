using TorchSharp;
using Trainer.Recipes;
using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Loads a recipe's data once: picks the source, splits off test (when the source has none) and validation data by a
/// seeded permutation, keeps a seeded subset of <c>Data:TrainLimit</c> training examples when set (a
/// <see cref="SplitPlan"/>, made before a table is encoded so its encoding is fitted on the training rows only), and
/// standardises all splits with statistics of the (limited) training split only: per channel for images, per feature for
/// tables (<c>Data:Normalize</c>).
/// </summary>
public static class DataPipeline
{
    /// <summary>The sources every run knows: digits, idx, csv and fashion-mnist.</summary>
    public static IReadOnlyList<IDataSource> BuiltInSources { get; } =
        [new DigitsDataSource(), new IdxDataSource(), new CsvDataSource(), new FashionMnistDataSource()];

    /// <summary>Loads and splits the data of <paramref name="options"/> on the CPU.</summary>
    /// <param name="options">The recipe's data section.</param>
    /// <param name="baseDirectory">Folder that relative paths resolve against (the recipe's folder).</param>
    /// <param name="seed">Seed of the split permutation.</param>
    /// <param name="sources">Sources to choose from; defaults to <see cref="BuiltInSources"/>.</param>
    /// <param name="task">The recipe's task: the targets are converted to what its kind trains on, and regression targets
    /// standardised with the training split's statistics (<c>Task:StandardizeTarget</c>). Default: classification.</param>
    public static DataSplits Load(DataOptions options, string baseDirectory, int seed, IEnumerable<IDataSource>? sources = null, TaskOptions? task = null)
    {
        var available = (sources ?? BuiltInSources).ToList();
        var source = available.FirstOrDefault(s => string.Equals(s.Name, options.Source, StringComparison.OrdinalIgnoreCase))
            ?? throw new RecipeException($"Data:Source '{options.Source}' is not known; use one of: {string.Join(", ", available.Select(s => s.Name))}.");

        var resolved = options.WithPaths(Resolve(options.Path, baseDirectory), Resolve(options.TestPath, baseDirectory));
        var kind = TaskKinds.TryParse(task?.Kind ?? "classification", out var parsedKind) ? parsedKind
            : throw new RecipeException($"Task:Kind '{task?.Kind}' is not supported; use one of: {string.Join(", ", TaskKinds.Names)}.");
        RawData raw;
        SplitPlan plan;
        TableSchema? table = null;
        if (source is ITableDataSource tableSource && tableSource.ReadTable(resolved) is { } rows)
        {
            // A table's encoding (categories, imputation means) is fitted on the training rows, so the split comes first.
            plan = SplitPlan.Make(rows.Train.Count, rows.Test is not null, resolved, seed);
            try
            {
                (raw, table) = TableEncoder.Encode(rows, resolved, plan.TrainingRows(rows.Train.Count));
            }
            catch
            {
                plan.Dispose();
                throw;
            }
        }
        else
        {
            raw = source.Load(resolved);
            try
            {
                // A source's own validation split (an image folder's val/) is used as it is, instead of Data:ValidationFraction.
                plan = SplitPlan.Make(raw.Train.Count, raw.Test is not null, raw.Validation is null ? resolved : resolved.WithValidationFraction(0), seed);
            }
            catch
            {
                raw.Train.Dispose();
                raw.Test?.Dispose();
                raw.Validation?.Dispose();
                throw;
            }
        }
        try
        {
            raw = Converted(raw, kind, options.Source);
        }
        catch
        {
            plan.Dispose();
            throw;
        }
        foreach (var (own, name) in kind == TaskKind.Classification ? new[] { (raw.Test, "test"), (raw.Validation, "validation") } : [])
        {
            if (own is null || own.ClassCount <= raw.Train.ClassCount) continue;
            raw.Train.Dispose();
            raw.Test?.Dispose();
            raw.Validation?.Dispose();
            plan.Dispose();
            throw new RecipeException($"Data: the {name} split has class {own.ClassCount - 1}, which the training data never shows " +
                                      $"(its classes are 0 to {raw.Train.ClassCount - 1}); check the files of Data:Source '{options.Source}'.");
        }

        Dataset test, train;
        Dataset? validation;
        using (plan)
        {
            test = raw.Test ?? raw.Train.Select(plan.Test!);
            validation = raw.Validation ?? (plan.Validation is null ? null : raw.Train.Select(plan.Validation));
            train = SplitPlan.Rows(raw.Train, plan.Train);
            if (!ReferenceEquals(train, raw.Train)) raw.Train.Dispose();
        }

        // Byte pixels (the IDX sources) become float32 in [0, 1] split by split, smallest first, to keep the peak low.
        // Before that, the decompressed files' arrays (the splits are copies now) and the compressed bytes read are
        // garbage of the size of the data set: returned to the system first, they do not add to the peak.
        if (train.Features.dtype == ScalarType.Byte) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        test = Scaled(test);
        if (validation is not null) validation = Scaled(validation);
        train = Scaled(train);

        TargetScaling? scaling = null;
        if (kind == TaskKind.Regression && (task?.StandardizeTarget ?? true))
        {
            scaling = TargetScaling.Fit(train.Labels);
            train = Standardized(train, scaling);
            test = Standardized(test, scaling);
            if (validation is not null) validation = Standardized(validation, scaling);
        }

        var mode = NormalizationModes.TryParse(resolved.Normalize, out var parsed) ? NormalizationModes.Resolve(parsed, train.FeatureShape)
            : throw new RecipeException($"Data:Normalize '{resolved.Normalize}' is not supported; use one of: {string.Join(", ", NormalizationModes.Names)}.");
        if (mode == NormalizationMode.None) return new DataSplits(train, validation, test, null) { Table = table, TargetScaling = scaling, Notes = raw.Notes };
        if (mode == NormalizationMode.PerChannel && train.FeatureShape.Length < 2)
        {
            var shape = string.Join(", ", train.FeatureShape);
            train.Dispose(); validation?.Dispose(); test.Dispose();
            throw new RecipeException($"Data:Normalize 'per-channel' needs images (channels x height x width); Data:Source '{options.Source}' gives examples " +
                                      $"of shape [{shape}]. Use per-feature (or auto) for tabular data.");
        }

        var standardizer = Standardizer.Fit(train.Features, mode);
        return new DataSplits(Normalized(train, standardizer), validation is null ? null : Normalized(validation, standardizer),
            Normalized(test, standardizer), standardizer) { Table = table, TargetScaling = scaling, Notes = raw.Notes };
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="baseDirectory"/> unless it is absolute.</summary>
    public static string? Resolve(string? path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));

    // Each split's targets as the task needs them; on a failure every split is disposed (Convert disposes the one it refuses).
    private static RawData Converted(RawData raw, TaskKind kind, string source)
    {
        Dataset?[] splits = [raw.Train, raw.Test, raw.Validation];
        for (var i = 0; i < splits.Length; i++)
        {
            if (splits[i] is not { } split) continue;
            try
            {
                splits[i] = TaskTargets.Convert(split, kind, source);
            }
            catch
            {
                for (var j = 0; j < splits.Length; j++)
                    if (j != i) splits[j]?.Dispose();
                throw;
            }
        }
        return new RawData(splits[0]!, splits[1]) { Validation = splits[2], Notes = raw.Notes };
    }

    private static Dataset Standardized(Dataset data, TargetScaling scaling)
    {
        var labels = scaling.Standardize(data.Labels);
        data.Labels.Dispose();
        return new Dataset(data.Features, labels, data.ClassCount) { ClassNames = data.ClassNames };
    }

    private static Dataset Scaled(Dataset data)
    {
        if (data.Features.dtype != ScalarType.Byte) return data;
        using var scale = 255f.ToScalar(); // held across the call: a temporary Scalar can be finalized during it
        var features = data.Features.to_type(ScalarType.Float32).div_(scale);
        data.Features.Dispose();
        return new Dataset(features, data.Labels, data.ClassCount) { ClassNames = data.ClassNames };
    }

    // In place: the splits are the pipeline's own copies, and a data set-sized temporary would raise the peak memory.
    private static Dataset Normalized(Dataset data, Standardizer standardizer)
    {
        standardizer.TransformInPlace(data.Features);
        return data;
    }
}
