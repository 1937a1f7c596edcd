using TorchSharp;
using Trainer.Recipes;
using Trainer.Tasks;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Loads a recipe's data once: picks the source and the data path (in memory, or streamed from storage), splits off test
/// (when the source has none) and validation data by a seeded permutation, keeps a seeded subset of <c>Data:TrainLimit</c>
/// training examples when set (a <see cref="SplitPlan"/>, the same for both paths and made before a table is encoded so its
/// encoding is fitted on the training rows only), converts the targets for the task, and standardises all
/// splits with statistics of the (limited) training split only: per channel for images, per feature for tables
/// (<c>Data:Normalize</c>).
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
        var (streamed, loading) = ChooseLoading(source, resolved, options.Source);
        if (streamed is not null)
        {
            streamed = WithCache(streamed, resolved, baseDirectory);
            if (streamed.Train is DecodedExampleCache cache)
                loading += $", each example cached on disk as decoded the first time it is read (Data:Cache disk, in {Path.GetDirectoryName(cache.Path)})";
            return LoadStreamed(streamed, resolved, options.Source, seed, loading, kind, task);
        }

        RawData raw;
        SplitPlan plan;
        TableSchema? table = null;
        if (source is ITableDataSource tableSource && tableSource.ReadTable(resolved) is { } rows)
        {
            if (options.Classes is not null)
                throw new RecipeException($"Data:Classes keeps classes by index, which a table with Data:Target does not have; filter the rows of the file instead.");
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
            if (options.Classes is { } classes) raw = ClassSubset.Keep(raw, classes, options.Source);
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
            throw ClassMismatch(name, own.ClassCount, raw.Train.ClassCount, options.Source);
        }

        Dataset test, train;
        Dataset? validation;
        using (plan)
        {
            test = raw.Test ?? raw.Train.Select(plan.Test!);
            validation = raw.Validation ?? (plan.Validation is { } v ? raw.Train.Select(v) : null);
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
        if (mode == NormalizationMode.None) return new DataSplits(train, validation, test, null) { Loading = loading, TargetScaling = scaling, Notes = raw.Notes, Table = table };
        if (mode == NormalizationMode.PerChannel && train.FeatureShape.Length < 2)
        {
            var shape = string.Join(", ", train.FeatureShape);
            train.Dispose(); validation?.Dispose(); test.Dispose();
            throw new RecipeException($"Data:Normalize 'per-channel' needs images (channels x height x width); Data:Source '{options.Source}' gives examples " +
                                      $"of shape [{shape}]. Use per-feature (or auto) for tabular data.");
        }

        var standardizer = Standardizer.Fit(train.Features, mode);
        return new DataSplits(Normalized(train, standardizer), validation is null ? null : Normalized(validation, standardizer),
            Normalized(test, standardizer), standardizer) { Loading = loading, TargetScaling = scaling, Notes = raw.Notes, Table = table };
    }

    /// <summary>
    /// <c>Data:Cache disk</c>: the streamed stores, each behind a <see cref="DecodedExampleCache"/> that owns it; else
    /// <paramref name="data"/> as it is. On failure every store is disposed.
    /// </summary>
    private static StreamedData WithCache(StreamedData data, DataOptions options, string baseDirectory)
    {
        if (!string.Equals(options.Cache, "disk", StringComparison.OrdinalIgnoreCase)) return data;
        var directory = Resolve(options.CacheDirectory, baseDirectory) ?? Path.GetTempPath();
        var stores = new[] { data.Train, data.Test, data.Validation };
        var caches = new ExampleStore?[stores.Length];
        try
        {
            for (var i = 0; i < stores.Length; i++) caches[i] = stores[i] is { } store ? new DecodedExampleCache(store, directory) : null;
            return new StreamedData(caches[0]!, caches[1]) { Validation = caches[2], Notes = data.Notes };
        }
        catch
        {
            for (var i = 0; i < stores.Length; i++) (caches[i] ?? stores[i])?.Dispose(); // a cache disposes its store
            throw;
        }
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="baseDirectory"/> unless it is absolute.</summary>
    public static string? Resolve(string? path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));

    private static RecipeException ClassMismatch(string split, int splitClasses, int trainClasses, string source) =>
        new($"Data: the {split} split has class {splitClasses - 1}, which the training data never shows " +
            $"(its classes are 0 to {trainClasses - 1}); check the files of Data:Source '{source}'.");

    /// <summary>Picks the data path (<c>Data:Loading</c>); opens the source's examples for streaming when it is chosen.</summary>
    private static (StreamedData? Data, string Loading) ChooseLoading(IDataSource source, DataOptions options, string name)
    {
        if (options.Classes is not null)
        {
            if (options.Loading.Trim().Equals("stream", StringComparison.OrdinalIgnoreCase))
                throw new RecipeException("Data:Loading 'stream' cannot keep only Data:Classes, which filters the examples in memory; set Data:Loading to memory or auto.");
            return (null, "memory (Data:Classes filters the examples in memory)");
        }
        switch (options.Loading.Trim().ToLowerInvariant())
        {
            case "memory":
                return (null, "memory (Data:Loading memory)");
            case "stream":
                if (source is not IStreamingDataSource streaming)
                    throw new RecipeException($"Data:Loading 'stream' is not supported by Data:Source '{name}', which can only load into memory; " +
                                              "set Data:Loading to memory or auto.");
                if (streaming.CannotStream(options) is { } why) throw new RecipeException($"Data:Loading 'stream' cannot stream Data:Source '{name}': {why}");
                return (streaming.Open(options), "stream (Data:Loading stream)");
            case "auto":
                if (source is not IStreamingDataSource auto) return (null, $"memory (Data:Loading auto: Data:Source '{name}' cannot stream)");
                if (auto.CannotStream(options) is { } reason) return (null, $"memory (Data:Loading auto: {reason})");
                var data = auto.Open(options);
                var bytes = (data.Train.Count + (data.Test?.Count ?? 0)) * data.Train.FeatureLength * sizeof(float);
                var budget = MemoryBudgetBytes(options);
                var what = $"the data set takes {bytes / 1048576.0:0.#} MB as float32, {(bytes > budget ? "more" : "no more")} than the budget of " +
                           $"{budget / 1048576.0:0.#} MB ({(options.MemoryBudgetMB > 0 ? "Data:MemoryBudgetMB" : "half the available memory; Data:MemoryBudgetMB sets it")})";
                if (bytes > budget) return (data, $"stream (Data:Loading auto: {what})");
                data.Dispose();
                return (null, $"memory (Data:Loading auto: {what})");
            default:
                throw new RecipeException($"Data:Loading '{options.Loading}' is not supported; use one of: {string.Join(", ", RecipeValidator.DataLoadingModes)}.");
        }
    }

    /// <summary>
    /// The most bytes a data set may take in memory before <c>Data:Loading</c> auto streams it: <c>Data:MemoryBudgetMB</c>,
    /// or half of the memory available to the process.
    /// </summary>
    public static long MemoryBudgetBytes(DataOptions options) =>
        options.MemoryBudgetMB > 0 ? options.MemoryBudgetMB * 1048576 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    private static DataSplits LoadStreamed(StreamedData data, DataOptions options, string sourceName, int seed, string loading, TaskKind kind, TaskOptions? task)
    {
        var splits = new List<StreamedSplit>();
        var labels = new List<Tensor>();
        try
        {
            // The targets converted for the task as the in-memory path converts them (TaskTargets), store by store.
            var (trainLabels, trainClasses) = TaskLabels(data.Train, kind, sourceName);
            labels.Add(trainLabels);
            var (testLabels, testClasses) = data.Test is { } testStore ? TaskLabels(testStore, kind, sourceName) : (trainLabels, trainClasses);
            if (!ReferenceEquals(testLabels, trainLabels)) labels.Add(testLabels);
            var (validationLabels, validationClasses) = data.Validation is { } validationStore ? TaskLabels(validationStore, kind, sourceName) : (trainLabels, trainClasses);
            if (!ReferenceEquals(validationLabels, trainLabels)) labels.Add(validationLabels);
            if (kind == TaskKind.Classification && testClasses > trainClasses) throw ClassMismatch("test", testClasses, trainClasses, sourceName);
            if (kind == TaskKind.Classification && validationClasses > trainClasses)
                throw ClassMismatch("validation", validationClasses, trainClasses, sourceName);

            using var plan = SplitPlan.Make(data.Train.Count, data.Test is not null, data.Validation is null ? options : options.WithValidationFraction(0), seed);
            StreamedSplit Split(ExampleStore store, Tensor storeLabels, Tensor? indices)
            {
                var split = new StreamedSplit(store, storeLabels, indices is null ? Enumerable.Range(0, checked((int)store.Count)).Select(i => (long)i).ToArray()
                    : indices.data<long>().ToArray(), options.Workers, options.Prefetch);
                splits.Add(split);
                return split;
            }
            var test = data.Test is { } own ? Split(own, testLabels, null) : Split(data.Train, trainLabels, plan.Test);
            var validation = data.Validation is { } ownValidation ? Split(ownValidation, validationLabels, null)
                : plan.Validation is { } v ? Split(data.Train, trainLabels, v) : null;
            var train = Split(data.Train, trainLabels, plan.Train);

            TargetScaling? scaling = null;
            if (kind == TaskKind.Regression && (task?.StandardizeTarget ?? true))
            {
                scaling = TargetScaling.Fit(train.Labels);
                foreach (var split in splits) split.ScaleTargets(scaling);
            }

            var shape = data.Train.FeatureShape;
            var mode = NormalizationModes.TryParse(options.Normalize, out var parsed) ? NormalizationModes.Resolve(parsed, shape)
                : throw new RecipeException($"Data:Normalize '{options.Normalize}' is not supported; use one of: {string.Join(", ", NormalizationModes.Names)}.");
            if (mode == NormalizationMode.PerChannel && shape.Length < 2)
                throw new RecipeException($"Data:Normalize 'per-channel' needs images (channels x height x width); Data:Source '{sourceName}' gives examples " +
                                          $"of shape [{string.Join(", ", shape)}]. Use per-feature (or auto) for tabular data.");
            var standardizer = mode == NormalizationMode.None ? null : FitStreamed(train, mode);
            foreach (var split in splits) split.Normalization = standardizer;

            Dataset Of(StreamedSplit split, ExampleStore store, int classes) => new(split, split.Labels.alias(), classes) { ClassNames = store.ClassNames };
            return new DataSplits(Of(train, data.Train, trainClasses),
                validation is null ? null : data.Validation is { } ownStore ? Of(validation, ownStore, validationClasses) : Of(validation, data.Train, trainClasses),
                Of(test, data.Test ?? data.Train, testClasses), standardizer)
            {
                Loading = loading,
                Streamed = data,
                TargetScaling = scaling,
                Notes = data.Notes,
            };
        }
        catch
        {
            foreach (var split in splits) split.Dispose();
            data.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in labels) tensor.Dispose(); // the splits hold their own copies
        }
    }

    /// <summary>A store's targets as <paramref name="kind"/> trains on them, and the class count (TaskTargets on labels alone).</summary>
    private static (Tensor Labels, int ClassCount) TaskLabels(ExampleStore store, TaskKind kind, string source)
    {
        var standIn = new Dataset(empty([store.Count, 0L]), store.Labels.clone(), store.ClassCount) { ClassNames = store.ClassNames };
        var converted = TaskTargets.Convert(standIn, kind, source);
        converted.Features.Dispose();
        return (converted.Labels, converted.ClassCount);
    }

    // The training split's statistics from one pass over its examples, read by the workers in chunks of the size the
    // in-memory path uses, so that both paths fit the same numbers.
    private static Standardizer FitStreamed(StreamedSplit train, NormalizationMode mode)
    {
        var chunk = (int)Math.Min(int.MaxValue, Standardizer.ChunkExamples(train.Store.FeatureLength));
        var batches = (int)((train.Count + chunk - 1) / chunk);
        using var prefetcher = new BatchPrefetcher(train, null, chunk, 0, batches);
        return Standardizer.Fit(train.Count, train.FeatureShape, mode, (start, _) => train.Prepare(prefetcher.Take((int)(start / chunk)).Features));
    }

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
